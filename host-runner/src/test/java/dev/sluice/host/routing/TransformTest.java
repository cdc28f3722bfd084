package dev.sluice.host.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.script.ScriptFailure;
import dev.sluice.host.script.ScriptSyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "{\"event_type\":\"signup\",\"tags\":[\"a\",\"vip\"],"
            + "\"eventn_ctx\":{\"user\":{\"email\":\"a@b.c\",\"First Name\":\"Ada\"}},\"eventn_ctx_event_id\":\"e1\"}";

    private Transform transform;

    @AfterEach
    void close() {
        if (transform != null) {
            transform.close();
        }
    }

    private Transform.Result run(String script) throws Exception {
        transform = Transform.compile("d.transform", script, Duration.ofSeconds(5));
        return transform.apply(EVENT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json) throws Exception {
        return JSON.readValue(json, Map.class);
    }

    @Test
    void returningAnObjectReplacesTheEvent() throws Exception {
        Transform.Result result = run("return {...$, user: $.eventn_ctx?.user}");
        assertThat(result.skipReason()).isEmpty();
        assertThat(result.events()).hasSize(1);
        Map<String, Object> out = map(result.events().get(0).json());
        assertThat(out).containsEntry("user", Map.of("email", "a@b.c", "First Name", "Ada"))
                .containsEntry("event_type", "signup");
        assertThat(result.events().get(0).tableName()).isEmpty();
    }

    @Test
    void anExpressionIsReturnedAsIs() throws Exception {
        Transform.Result result = run("({id: $.eventn_ctx_event_id})");
        assertThat(map(result.events().get(0).json())).isEqualTo(Map.of("id", "e1"));
    }

    @Test
    void aBodyWithoutReturnGivesItsLastStatementAsInJitsu() throws Exception {
        Transform.Result result = run("$.user = $.eventn_ctx.user;\ndelete $.eventn_ctx;\n$");
        assertThat(map(result.events().get(0).json())).containsKey("user").doesNotContainKey("eventn_ctx");
        close();
        assertThat(run("if ($.event_type === 'signup') { null } else { $ }").skipReason())
                .contains("the transform returned null");
    }

    @Test
    void aReturnInsideANestedFunctionOrACommentIsNotTheBodysReturn() throws Exception {
        // Decided by the parser, not by the word: these bodies give their last statement.
        Transform.Result nested = run("$.names = [$.eventn_ctx.user].map(function (u) { return u.email; });\n$");
        assertThat(nested.skipReason()).isEmpty();
        assertThat(map(nested.events().get(0).json())).containsEntry("names", java.util.List.of("a@b.c"));
        close();
        Transform.Result commented = run("// return the user\n$.note = 'no return here'; $");
        assertThat(map(commented.events().get(0).json())).containsEntry("note", "no return here");
    }

    @Test
    void textThatClosesTheWrapperToRunCodeOutsideItDoesNotCompile() {
        // Parsed inside "(function ($, _) { return (" ... "); })" this would run an endless loop
        // outside any call, before the time limit is watched.
        assertThatThrownBy(() -> Transform.compile("crm.transform",
                "1); }, (() => { for (;;) {} })(), function () { return (1", java.time.Duration.ofSeconds(1)))
                .isInstanceOf(dev.sluice.host.script.ScriptSyntaxException.class)
                .hasMessageContaining("closes the function it is run in");
        assertThatThrownBy(() -> Transform.compile("crm.transform",
                "return 1; }, (() => { for (;;) {} })(), function () {", java.time.Duration.ofSeconds(1)))
                .isInstanceOf(dev.sluice.host.script.ScriptSyntaxException.class);
    }

    @Test
    void changingTheEventInPlaceAndReturningItWorks() throws Exception {
        Transform.Result result = run("$.user = $.eventn_ctx.user; delete $.eventn_ctx; return $");
        Map<String, Object> out = map(result.events().get(0).json());
        assertThat(out).containsKey("user").doesNotContainKey("eventn_ctx");
    }

    @Test
    void anArrayGivesSeveralEvents() throws Exception {
        Transform.Result result = run("return [{...$, event_type: 'a'}, {...$, event_type: 'b'}]");
        assertThat(result.events()).extracting(o -> map(o.json()).get("event_type")).containsExactly("a", "b");
    }

    @Test
    void nullUndefinedFalseAndAnEmptyArraySkipWithTheReason() throws Exception {
        assertThat(run("return null").skipReason()).contains("the transform returned null");
        close();
        assertThat(run("return undefined").skipReason()).contains("the transform returned undefined");
        close();
        assertThat(run("if ($.nope) { return $ }").skipReason()).contains("the transform returned undefined");
        close();
        assertThat(run("return false").skipReason()).contains("the transform returned false");
        close();
        assertThat(run("return []").skipReason()).contains("the transform returned an empty array");
        close();
        assertThat(run("if ($.event_type === 'signup') return null; return $").events()).isEmpty();
    }

    @Test
    void jitsuTableNameIsTakenOutOfTheEventAndGiven() throws Exception {
        Transform.Result result = run("return {...$, JITSU_TABLE_NAME: 'contacts'}");
        assertThat(result.events().get(0).tableName()).contains("contacts");
        assertThat(map(result.events().get(0).json())).doesNotContainKey("JITSU_TABLE_NAME");
        close();
        assertThat(run("return {...$, JITSU_TABLE_NAME: null}").events().get(0).tableName()).contains("null");
        close();
        assertThat(run("return {...$, JITSU_TABLE_NAME: 7}").events().get(0).tableName()).contains("7");
    }

    @Test
    void somethingElseThanAnObjectIsAnErrorNamingWhatCame() throws Exception {
        assertThatThrownBy(() -> run("return 'x'")).isInstanceOf(ScriptFailure.class)
                .hasMessageContaining("it returned a string");
        close();
        assertThatThrownBy(() -> run("return true")).isInstanceOf(ScriptFailure.class)
                .hasMessageContaining("it returned true");
        close();
        assertThatThrownBy(() -> run("return [$, 3]")).isInstanceOf(ScriptFailure.class)
                .hasMessageContaining("element 1 is number");
    }

    @Test
    void eachModernSyntaxFeatureRuns() throws Exception {
        Map<String, String> cases = Map.of(
                "arrow functions", "return {n: [1, 2, 3].map(x => x * 2).reduce((a, b) => a + b)}",
                "spread", "return {...$, extra: 1}",
                "optional chaining", "return {email: $.eventn_ctx?.user?.email, none: $.nope?.deeper}",
                "Array.isArray and includes", "return {vip: Array.isArray($.tags) && $.tags.includes('vip')}",
                "template literals", "return {name: `${$.event_type}_${$.tags.length}`}",
                "destructuring", "const {eventn_ctx: {user}, ...rest} = $; const [first] = $.tags; return {...rest, user, first}",
                "nullish coalescing", "return {v: $.missing ?? 'dflt'}",
                "Object.entries and fromEntries", "return Object.fromEntries(Object.entries($.eventn_ctx.user)"
                        + ".map(([k, v]) => [k.toLowerCase().replace(/[^a-z0-9]+/g, '_'), v]))");
        Map<String, Object> expected = Map.of(
                "arrow functions", Map.of("n", 12),
                "optional chaining", Map.of("email", "a@b.c"),
                "Array.isArray and includes", Map.of("vip", true),
                "template literals", Map.of("name", "signup_2"),
                "nullish coalescing", Map.of("v", "dflt"),
                "Object.entries and fromEntries", Map.of("email", "a@b.c", "first_name", "Ada"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Map<String, Object> out = map(run(c.getValue()).events().get(0).json());
            if (expected.containsKey(c.getKey())) {
                assertThat(out).as(c.getKey()).isEqualTo(expected.get(c.getKey()));
            } else if (c.getKey().equals("spread")) {
                assertThat(out).as(c.getKey()).containsEntry("extra", 1).containsEntry("event_type", "signup");
            } else {
                assertThat(out).as(c.getKey()).containsEntry("first", "a").containsKey("user")
                        .doesNotContainKey("eventn_ctx").containsEntry("event_type", "signup");
            }
            close();
        }
    }

    @Test
    void aThrowingScriptFailsWithItsMessageAndLine() throws Exception {
        assertThatThrownBy(() -> run("const x = 1;\nif ($.event_type === 'signup') {\n  throw new Error('no signups here');\n}\nreturn $"))
                .isInstanceOf(ScriptFailure.class)
                .hasMessage("Error: no signups here (line 3)")
                .satisfies(e -> assertThat(((ScriptFailure) e).summary()).isEqualTo("Error at line 3"));
        close();
        assertThatThrownBy(() -> run("return {x: $.nothing.deeper}"))
                .isInstanceOf(ScriptFailure.class)
                .hasMessageStartingWith("TypeError: ")
                .hasMessageEndingWith("(line 1)");
    }

    @Test
    void compileErrorsNameLineAndColumnOfTheUsersText() {
        assertThatThrownBy(() -> Transform.check("t", "const a = 1;\nreturn {...$,, a}"))
                .isInstanceOf(ScriptSyntaxException.class)
                .satisfies(e -> {
                    ScriptSyntaxException s = (ScriptSyntaxException) e;
                    assertThat(s.line()).isEqualTo(2);
                    assertThat(s.column()).isEqualTo(14);
                })
                .hasMessageStartingWith("line 2, column 14: ");
    }

    @Test
    void afterAFailureTheNextEventStillRuns() throws Exception {
        transform = Transform.compile("d.transform", "if ($.fail) throw new Error('x'); return $", Duration.ofSeconds(5));
        assertThatThrownBy(() -> transform.apply("{\"fail\":true}")).isInstanceOf(ScriptFailure.class);
        assertThat(transform.apply("{\"ok\":1}").events()).extracting(Transform.Output::json).containsExactly("{\"ok\":1}");
    }

    @Test
    void resultsAreSameAcrossThreads() throws Exception {
        transform = Transform.compile("d.transform", "return {n: $.n * 2}", Duration.ofSeconds(5));
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        String out = transform.apply("{\"n\":" + (base + i) + "}").events().get(0).json();
                        assertThat(out).isEqualTo("{\"n\":" + 2 * (base + i) + "}");
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
            assertThat(thread.isAlive()).isFalse();
        }
        assertThat(errors).isEmpty();
        assertThat(Optional.of(1)).isPresent();
    }
}
