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
    void tellsTheFormsApartByBracesThenJavaScript() throws Exception {
        assertThat(TableNameTemplate.compile("events")).isInstanceOf(ConstantTemplate.class);
        assertThat(TableNameTemplate.compile("{{.event_type}}")).isInstanceOf(GoStyleTemplate.class);
        assertThat(TableNameTemplate.compile("$.event_type")).isInstanceOf(PathTemplate.class);
        assertThat(TableNameTemplate.compile("_.event_type")).isInstanceOf(PathTemplate.class);
        assertThat(TableNameTemplate.compile("$.event_type || 'x'")).isInstanceOf(JsTemplate.class);
        assertThat(TableNameTemplate.compile("return 'events'")).isInstanceOf(JsTemplate.class);
        assertThat(TableNameTemplate.compile("my_events")).isInstanceOf(ConstantTemplate.class);
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
    void pathSafeNavigationGivesTheValueOrNull() throws Exception {
        assertThat(render("$.user?.email", "{\"user\":{\"email\":\"a@b.c\"}}")).isEqualTo("a@b.c");
        assertThat(render("$.user?.email", "{\"event_type\":\"x\"}")).isEqualTo("null");
        assertThat(render("$.user?.email", "{\"user\":{}}")).isEqualTo("null");
        assertThat(render("$.user?.email", "{\"user\":null}")).isEqualTo("null");
        // ?. short-circuits the rest of the chain, as in JavaScript.
        assertThat(render("$.a?.b.c", "{}")).isEqualTo("null");
        assertThat(render("_.event_type", "{\"event_type\":\"signup\"}")).isEqualTo("signup");
    }

    @Test
    void pathReadingAPropertyOfMissingValueWithoutSafeNavigationFailsAsInJavaScript() throws Exception {
        TableNameTemplate template = TableNameTemplate.compile("$.user.email");
        assertThatThrownBy(() -> template.render(event("{\"event_type\":\"x\"}")))
                .isInstanceOf(TemplateEvaluationException.class)
                .hasMessageContaining("TypeError").hasMessageContaining("'email'");
        TableNameTemplate engine = TableNameTemplate.compile("$.user.email.toLowerCase()");
        assertThatThrownBy(() -> engine.render(event("{\"event_type\":\"x\"}")))
                .isInstanceOf(TemplateEvaluationException.class)
                .hasMessage("JavaScript failed: TypeError at line 1");
    }

    @Test
    void pathsJoinedByNullishCoalescingTakeTheFirstPresentValue() throws Exception {
        String template = "$.user?.email ?? $.eventn_ctx?.user?.email";
        assertThat(TableNameTemplate.compile(template)).isInstanceOf(PathTemplate.class);
        assertThat(render(template, "{\"user\":{\"email\":\"a@b.c\"}}")).isEqualTo("a@b.c");
        assertThat(render(template, "{\"eventn_ctx\":{\"user\":{\"email\":\"c@d.e\"}}}")).isEqualTo("c@d.e");
        assertThat(render(template, "{\"user\":{\"email\":null},\"eventn_ctx\":{\"user\":{\"email\":\"c@d.e\"}}}"))
                .isEqualTo("c@d.e");
        assertThat(render(template, "{\"user\":{\"email\":\"\"},\"eventn_ctx\":{\"user\":{\"email\":\"c@d.e\"}}}"))
                .as("?? only passes over null and undefined").isEqualTo("");
        assertThat(render(template, "{}")).isEqualTo("null");
        assertThat(TableNameTemplate.compile("$.a ?? 'x'")).isInstanceOf(JsTemplate.class);
    }

    @Test
    void pathAndEngineGiveTheSameResults() throws Exception {
        String[] events = {"{\"user\":{\"email\":\"a@b.c\"}}", "{\"user\":{}}", "{}", "{\"user\":{\"email\":7}}",
                "{\"user\":{\"email\":true}}", "{\"user\":{\"email\":{\"x\":1}}}", "{\"user\":{\"email\":\"\"}}"};
        for (String json : events) {
            // "($.user?.email)" is not a plain path, so it runs in the engine.
            assertThat(render("$.user?.email", json)).as(json).isEqualTo(render("($.user?.email)", json));
            assertThat(render("$.user?.email ?? $.x?.y", json)).as(json).isEqualTo(render("($.user?.email ?? $.x?.y)", json));
        }
        assertThat(TableNameTemplate.compile("($.user?.email)")).isInstanceOf(JsTemplate.class);
    }

    @Test
    void javaScriptTernaryOnEventTypeAsInJitsuConfigs() throws Exception {
        String template = "$.event_type == \"pageview\" ? \"\" : $.event_type";
        assertThat(render(template, "{\"event_type\":\"pageview\"}")).isEmpty();
        assertThat(render(template, "{\"event_type\":\"signup\"}")).isEqualTo("signup");
    }

    @Test
    void javaScriptResultsAreConvertedToTextJitsuStyle() throws Exception {
        assertThat(render("$.n", "{\"n\":42}")).isEqualTo("42");
        assertThat(render("$.n", "{\"n\":2.50}")).isEqualTo("2.5");
        assertThat(render("$.n + 1", "{\"n\":41}")).isEqualTo("42");
        assertThat(render("$.n / 2", "{\"n\":5}")).isEqualTo("2.5");
        assertThat(render("$.ok", "{\"ok\":false}")).isEqualTo("false");
        assertThat(render("$.user", "{\"user\":{\"a\":1}}")).isEqualTo("null");
        assertThat(render("({...$.user})", "{\"user\":{\"a\":1}}")).isEqualTo("null");
        assertThat(render("$.list", "{\"list\":[1,2]}")).isEqualTo("null");
        assertThat(render("$.n / 0", "{\"n\":1}")).isEqualTo("null");
    }

    @Test
    void javaScriptMayCallMethodsOnTheEventsValues() throws Exception {
        assertThat(render("$.user?.email?.toLowerCase()", "{\"user\":{\"email\":\"A@B.C\"}}")).isEqualTo("a@b.c");
    }

    @Test
    void jitsuTableNameLogicCases() throws Exception {
        // The shape of Jitsu Classic's own template test (server/templates/test_data/table_name_logic.js):
        // a function body returning "app", null, "", undefined or false.
        String logic = """
                if (_.event_type === 'app_page' || $.event_type === 'site_page' || $.event_type === 'user_identify') {
                    return "app";
                } else if ($.doc_host && $.doc_host.endsWith('--cloud.example.app')) {
                    return null;
                } else if ($.user?.email && $.user?.email.endsWith('@staff.example')) {
                    return "";
                } else if ($.user?.email && $.user?.email.endsWith('@undefined.example')) {
                    return undefined;
                }
                return false;""";
        TableNameTemplate template = TableNameTemplate.compile(logic);
        assertThat(template).isInstanceOf(JsTemplate.class);
        assertThat(template.render(event("{\"event_type\":\"app_page\"}"))).isEqualTo("app");
        assertThat(template.render(event("{\"event_type\":\"user_identify\"}"))).isEqualTo("app");
        assertThat(template.render(event("{\"doc_host\":\"x--cloud.example.app\"}"))).isEqualTo("null");
        assertThat(template.render(event("{\"user\":{\"email\":\"a@staff.example\"}}"))).isEqualTo("");
        assertThat(template.render(event("{\"user\":{\"email\":\"a@undefined.example\"}}"))).isEqualTo("null");
        assertThat(template.render(event("{\"event_type\":\"pageview\"}"))).isEqualTo("false");
        for (String rendered : new String[] {"null", "", "false"}) {
            assertThat(TableNameTemplate.skips(rendered)).isTrue();
        }
        assertThat(TableNameTemplate.skips("app")).isFalse();
    }

    @Test
    void javaScriptTemplatesAcceptModernSyntax() throws Exception {
        String json = "{\"event_type\":\"signup\",\"tags\":[\"a\",\"vip\"],\"user\":{\"email\":\"a@b.c\"}}";
        assertThat(render("[$.event_type].map(t => t.toUpperCase())[0]", json)).isEqualTo("SIGNUP");
        assertThat(render("`events_${$.event_type}`", json)).isEqualTo("events_signup");
        assertThat(render("Array.isArray($.tags) && $.tags.includes('vip') ? 'vip' : ''", json)).isEqualTo("vip");
        assertThat(render("const {event_type, ...rest} = $; return rest.user.email", json)).isEqualTo("a@b.c");
        assertThat(render("({...$, extra: 1}).extra", json)).isEqualTo("1");
        assertThat(render("$.missing ?? 'fallback'", json)).isEqualTo("fallback");
    }

    @Test
    void javaScriptTemplateCannotChangeTheEvent() throws Exception {
        Map<String, Object> event = event("{\"user\":{\"email\":\"a@b.c\"},\"list\":[1]}");
        TableNameTemplate template = TableNameTemplate.compile("$.user.email = 'x'; $.list.push(2); delete $.user; 'ok'");
        assertThat(template.render(event)).isEqualTo("ok");
        assertThat(event).isEqualTo(event("{\"user\":{\"email\":\"a@b.c\"},\"list\":[1]}"));
    }

    @Test
    void javaScriptCompileErrorsNameLineAndColumn() {
        assertThatThrownBy(() -> TableNameTemplate.compile("$.user ?"))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessageStartingWith("JavaScript does not compile at line 1, column ");
        assertThatThrownBy(() -> TableNameTemplate.compile("if ($.a) {\n  return 'x'\n} else ((\n"))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessageStartingWith("JavaScript does not compile at line 3");
    }

    @Test
    void javaScriptErrorsNeverQuoteAValueTakenFromTheEvent() throws Exception {
        TableNameTemplate thrower = TableNameTemplate.compile("throw new Error('bad ' + $.kind)");
        assertThatThrownBy(() -> thrower.render(event("{\"kind\":\"person@example.com\"}")))
                .isInstanceOf(TemplateEvaluationException.class)
                .hasMessage("JavaScript failed: Error at line 1")
                .hasMessageNotContaining("person@example.com");
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
