package dev.sluice.host.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableNameTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(String json) throws Exception {
        return JSON.readValue(json, LinkedHashMap.class);
    }

    private static String render(String template, String eventJson) throws Exception {
        return TableNameTemplate.compile(template).render(event(eventJson));
    }

    @Test
    void tellsTheFormsApartByBracesThenDollar() throws Exception {
        assertThat(TableNameTemplate.compile("events")).isInstanceOf(ConstantTemplate.class);
        assertThat(TableNameTemplate.compile("{{.event_type}}")).isInstanceOf(GoStyleTemplate.class);
        assertThat(TableNameTemplate.compile("$.event_type")).isInstanceOf(JexlTemplate.class);
    }

    @Test
    void constantRendersItselfForEveryEvent() throws Exception {
        assertThat(render("events", "{}")).isEqualTo("events");
        assertThat(render("false", "{\"a\":1}")).isEqualTo("false");
    }

    @Test
    void goStyleReadsNestedFieldsAndKeepsSurroundingText() throws Exception {
        String json = "{\"event_type\":\"signup\",\"user\":{\"email\":\"a@b.c\"},\"n\":3,\"ok\":true}";
        assertThat(render("{{.event_type}}", json)).isEqualTo("signup");
        assertThat(render("{{ .user.email }}", json)).isEqualTo("a@b.c");
        assertThat(render("events_{{.event_type}}_{{.n}}", json)).isEqualTo("events_signup_3");
        assertThat(render("{{.ok}}", json)).isEqualTo("true");
    }

    @Test
    void goStyleMissingFieldIsNullAloneAndEmptyInText() throws Exception {
        assertThat(render("{{.user.email}}", "{\"event_type\":\"x\"}")).isEqualTo("null");
        assertThat(render("t_{{.user.email}}", "{\"user\":\"not an object\"}")).isEqualTo("t_");
        assertThat(render("{{.user}}", "{\"user\":{\"email\":\"a@b.c\"}}")).isEqualTo("null");
    }

    @Test
    void goStyleRefusesActionsOtherThanFieldReferences() {
        assertThatThrownBy(() -> TableNameTemplate.compile("{{ if .x }}a{{ end }}"))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessageContaining("unsupported Go template action")
                .hasMessageContaining("character 1");
        assertThatThrownBy(() -> TableNameTemplate.compile("events_{{.x"))
                .isInstanceOf(InvalidTemplateException.class).hasMessageContaining("unclosed '{{'");
    }

    @Test
    void jexlSafeNavigationGivesTheValueOrNull() throws Exception {
        assertThat(render("$.user?.email", "{\"user\":{\"email\":\"a@b.c\"}}")).isEqualTo("a@b.c");
        assertThat(render("$.user?.email", "{\"event_type\":\"x\"}")).isEqualTo("null");
        assertThat(render("$.user?.email", "{\"user\":{}}")).isEqualTo("null");
    }

    @Test
    void jexlTernaryOnEventTypeAsInJitsuConfigs() throws Exception {
        String template = "$.event_type == \"pageview\" ? \"\" : $.event_type";
        assertThat(render(template, "{\"event_type\":\"pageview\"}")).isEmpty();
        assertThat(render(template, "{\"event_type\":\"signup\"}")).isEqualTo("signup");
    }

    @Test
    void jexlResultsAreConvertedToTextJitsuStyle() throws Exception {
        assertThat(render("$.n", "{\"n\":42}")).isEqualTo("42");
        assertThat(render("$.n", "{\"n\":2.50}")).isEqualTo("2.5");
        assertThat(render("$.n + 1", "{\"n\":41}")).isEqualTo("42");
        assertThat(render("$.ok", "{\"ok\":false}")).isEqualTo("false");
        assertThat(render("$.user", "{\"user\":{\"a\":1}}")).isEqualTo("null");
        assertThat(render("$.list", "{\"list\":[1,2]}")).isEqualTo("null");
    }

    @Test
    void jexlReadsJsonKeysBeforeJavaGetters() throws Exception {
        assertThat(render("$.class", "{\"class\":\"vip\"}")).isEqualTo("vip");
        assertThat(render("$.empty", "{\"empty\":\"no\"}")).isEqualTo("no");
        assertThat(render("$.empty", "{}")).isEqualTo("null");
    }

    @Test
    void jexlMayCallReadingMethodsOnStrings() throws Exception {
        assertThat(render("$.user?.email?.toLowerCase()", "{\"user\":{\"email\":\"A@B.C\"}}")).isEqualTo("a@b.c");
    }

    @Test
    void jexlReadingAPropertyOfMissingObjectWithoutSafeNavigationIsAnEvaluationError() throws Exception {
        TableNameTemplate template = TableNameTemplate.compile("$.user.email");
        assertThatThrownBy(() -> template.render(event("{\"event_type\":\"x\"}")))
                .isInstanceOf(TemplateEvaluationException.class)
                .hasMessageContaining("$.user.email");
    }

    @Test
    void jexlRefusesAssignmentsLoopsLambdasAndNewAtCompileTime() {
        java.util.List<String> compiled = new java.util.ArrayList<>();
        for (String text : new String[] {
                "$.user = 1",
                "$.n += 1",
                "var x = $.a; x",
                "for (var i : [1,2]) { $.a }",
                "while (true) { $.a }",
                "function(x) { x }($)",
                "new('java.io.File', $.a)",
                "#pragma jexl.x y\n $.a",
                "$.a; $.b"}) {
            try {
                TableNameTemplate.compile(text);
                compiled.add(text);
            } catch (InvalidTemplateException expected) {
                assertThat(expected).hasMessageContaining("does not compile");
            }
        }
        assertThat(compiled).as("templates that should have been refused").isEmpty();
    }

    @Test
    void jexlCannotChangeTheEventThroughMethods() throws Exception {
        Map<String, Object> event = event("{\"user\":{\"email\":\"a@b.c\"},\"list\":[1]}");
        for (String text : new String[] {"$.put('x', 1)", "$.user.clear()", "$.remove('user')",
                "$.list.add(2)", "$.user.putAll({'y': 2})", "$.entrySet().clear()"}) {
            TableNameTemplate template = TableNameTemplate.compile(text);
            assertThatThrownBy(() -> template.render(event)).as(text).isInstanceOf(TemplateEvaluationException.class);
        }
        assertThat(event).isEqualTo(event("{\"user\":{\"email\":\"a@b.c\"},\"list\":[1]}"));
    }

    @Test
    void jexlHasNoClassAccess() throws Exception {
        Map<String, Object> event = event("{\"a\":\"x\"}");
        for (String text : new String[] {"$.a.getClass().forName('java.lang.Runtime')",
                "$.getClass().getClassLoader()", "$.a.repeat(2147483647)"}) {
            TableNameTemplate template = TableNameTemplate.compile(text);
            assertThatThrownBy(() -> template.render(event)).as(text)
                    .isInstanceOf(TemplateEvaluationException.class)
                    .hasMessageContaining("unsolvable function/method");
        }
        // A Class object may be reached, but is inert: it renders as null and none of its methods resolve.
        assertThat(render("$.getClass()", "{}")).isEqualTo("null");
    }

    @Test
    void jexlErrorsNameThePositionNotTheEngineInternals() throws Exception {
        TableNameTemplate template = TableNameTemplate.compile("$.a.b");
        assertThatThrownBy(() -> template.render(event("{\"a\":\"secret-value\"}")))
                .hasMessage("expression '$.a.b' failed at 1:5: undefined property 'b'");
        assertThatThrownBy(() -> TableNameTemplate.compile("$.user ?"))
                .hasMessageStartingWith("expression '$.user ?' does not compile at 1:")
                .hasMessageNotContaining("JexlTemplate");
    }

    @Test
    void jexlErrorsNeverQuoteAValueTakenFromTheEvent() throws Exception {
        // An index computed from the event: JEXL's message names the missing "property", which is
        // the event's value, and the router logs this message.
        TableNameTemplate lookup = TableNameTemplate.compile("['pageview', 'signup'][$.kind]");
        assertThatThrownBy(() -> lookup.render(event("{\"kind\":\"person@example.com\"}")))
                .isInstanceOf(TemplateEvaluationException.class)
                .hasMessageStartingWith("expression '['pageview', 'signup'][$.kind]' failed at 1:")
                .hasMessageContaining("undefined property")
                .hasMessageNotContaining("person@example.com");
        TableNameTemplate index = TableNameTemplate.compile("$.tags[$.n]");
        assertThatThrownBy(() -> index.render(event("{\"tags\":[\"a\"],\"n\":987654321}")))
                .isInstanceOf(TemplateEvaluationException.class)
                .hasMessageNotContaining("987654321");
        assertThatThrownBy(() -> lookup.render(event("{\"kind\":\"O'Brien's secret\"}")))
                .isInstanceOf(TemplateEvaluationException.class)
                .hasMessageNotContaining("Brien").hasMessageNotContaining("secret");
        // A name written in the expression itself is still quoted.
        assertThatThrownBy(() -> TableNameTemplate.compile("$.a.b").render(event("{\"a\":\"x\"}")))
                .hasMessageEndingWith("undefined property 'b'");
    }

    @Test
    void skipsBlankNullAndFalseAfterTrimming() {
        assertThat(TableNameTemplate.skips("")).isTrue();
        assertThat(TableNameTemplate.skips("   ")).isTrue();
        assertThat(TableNameTemplate.skips(" null ")).isTrue();
        assertThat(TableNameTemplate.skips("false\n")).isTrue();
        assertThat(TableNameTemplate.skips("0")).isFalse();
        assertThat(TableNameTemplate.skips("events")).isFalse();
        assertThat(TableNameTemplate.skips("true")).isFalse();
    }
}
