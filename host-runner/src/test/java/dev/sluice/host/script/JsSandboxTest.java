package dev.sluice.host.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sandbox: nothing outside the script is reachable, and a call is stopped at its time limit. */
class JsSandboxTest {

    private static final String PLAIN = "(function (fn) { return function (input) { const r = fn(input, input);"
            + " return r === undefined ? 'undefined' : String(r); }; })";

    private static String run(String script, Duration limit) throws Exception {
        try (JsFunction f = JsSandbox.compile("test", script, PLAIN, limit)) {
            return f.call("input", v -> v.asString());
        }
    }

    @Test
    void javaTypeIsNotDefined() throws Exception {
        assertThat(run("return typeof Java", Duration.ofSeconds(5))).isEqualTo("undefined");
        assertThatThrownBy(() -> run("return Java.type('java.lang.System').exit(1)", Duration.ofSeconds(5)))
                .isInstanceOf(ScriptFailure.class).hasMessageContaining("ReferenceError");
    }

    @Test
    void javaPackagesAndHostGlobalsAreNotDefined() throws Exception {
        for (String name : new String[] {"java", "javax", "Packages", "Polyglot", "Graal", "load", "print", "console",
                "require", "process", "quit", "readline", "importClass", "com", "org"}) {
            assertThat(run("return typeof " + name, Duration.ofSeconds(5))).as(name).isEqualTo("undefined");
        }
        assertThatThrownBy(() -> run("return java.lang.System.getenv('HOME')", Duration.ofSeconds(5)))
                .isInstanceOf(ScriptFailure.class).hasMessageContaining("ReferenceError");
    }

    @Test
    void hostObjectsHandedInAreNotUsable() throws Exception {
        // The input is a string: its Java methods are not reachable, only JavaScript's.
        assertThat(run("return typeof $.getClass", Duration.ofSeconds(5))).isEqualTo("undefined");
    }

    @Test
    void anEndlessLoopIsStoppedByTheTimeLimit() throws Exception {
        try (JsFunction f = JsSandbox.compile("loop", "while (true) {}", PLAIN, Duration.ofMillis(200))) {
            assertThatThrownBy(() -> f.call("x", v -> v.asString()))
                    .isInstanceOf(ScriptFailure.class)
                    .satisfies(e -> assertThat(((ScriptFailure) e).kind()).isEqualTo("timeout"))
                    .hasMessageContaining("time limit of 200 ms");
            // The same function (and its context) still serves the next call after the interrupt.
            assertThatThrownBy(() -> f.call("x", v -> v.asString())).isInstanceOf(ScriptFailure.class);
        }
        try (JsFunction f = JsSandbox.compile("sometimes", "if ($ === 'loop') { for (;;) {} } return 'done'", PLAIN,
                Duration.ofMillis(200))) {
            assertThatThrownBy(() -> f.call("loop", v -> v.asString())).isInstanceOf(ScriptFailure.class);
            assertThat(f.<String>call("other", v -> v.asString())).isEqualTo("done");
        }
    }

    @Test
    void endlessRecursionFailsTheCallOnly() throws Exception {
        assertThatThrownBy(() -> run("function f() { return f() + 1 } return f()", Duration.ofSeconds(5)))
                .isInstanceOf(ScriptFailure.class).hasMessageContaining("RangeError");
    }

    @Test
    void modernSyntaxCompilesAndOldSyntaxErrorsArePlaced() throws Exception {
        assertThat(run("return [1, 2].map(x => x + 1).includes(3)", Duration.ofSeconds(5))).isEqualTo("true");
        assertThatThrownBy(() -> JsSandbox.check("t", "return (")).isInstanceOf(ScriptSyntaxException.class)
                .hasMessageStartingWith("line 1, column ");
        assertThatThrownBy(() -> JsSandbox.check("t", "let a = 1;\nlet a = 2;\nreturn a"))
                .isInstanceOf(ScriptSyntaxException.class).hasMessageStartingWith("line 2, column ");
    }

    @Test
    void globalsChangedByOneFunctionDoNotReachAnother() throws Exception {
        try (JsFunction a = JsSandbox.compile("a", "globalThis.leak = 'x'; JSON.parse = null; return 'set'", PLAIN,
                Duration.ofSeconds(5));
             JsFunction b = JsSandbox.compile("b", "return typeof leak + ' ' + typeof JSON.parse", PLAIN,
                     Duration.ofSeconds(5))) {
            assertThat(a.<String>call("", v -> v.asString())).isEqualTo("set");
            assertThat(b.<String>call("", v -> v.asString())).isEqualTo("undefined function");
        }
    }
}
