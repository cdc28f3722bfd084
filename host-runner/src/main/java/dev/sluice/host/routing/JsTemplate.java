package dev.sluice.host.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.script.JsFunction;
import dev.sluice.host.script.JsSandbox;
import dev.sluice.host.script.ScriptFailure;
import dev.sluice.host.script.ScriptSyntaxException;
import java.time.Duration;
import java.util.Map;

/**
 * A {@code table_name_template} in JavaScript, as Jitsu Classic ran it: the body of a function
 * of the event ({@code $}, also {@code _}), or a single expression such as {@code $.user?.email}
 * or {@code $.event_type == "pageview" ? "" : $.event_type}. Runs in the {@link JsSandbox}; the
 * script sees its own copy of the event. The result becomes text as {@link TemplateText} says.
 */
final class JsTemplate implements TableNameTemplate {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String ADAPTER = """
            (function (fn) {
              const parse = JSON.parse, StringOf = String, isFinite = Number.isFinite;
              return function (json) {
                const event = parse(json);
                const r = fn(event, event);
                if (typeof r === 'string') return r;
                if (typeof r === 'boolean' || typeof r === 'bigint') return StringOf(r);
                if (typeof r === 'number') return isFinite(r) ? StringOf(r) : 'null';
                return 'null';
              };
            })
            """;

    private final String source;
    private final JsFunction function;

    private JsTemplate(String source, JsFunction function) {
        this.source = source;
        this.function = function;
    }

    static JsTemplate compile(String text, Duration timeLimit) throws InvalidTemplateException {
        try {
            return new JsTemplate(text, JsSandbox.compile("table_name_template", text, ADAPTER, timeLimit));
        } catch (ScriptSyntaxException e) {
            throw new InvalidTemplateException("JavaScript does not compile at " + e.getMessage());
        }
    }

    static void check(String text) throws InvalidTemplateException {
        try {
            JsSandbox.check("table_name_template", text);
        } catch (ScriptSyntaxException e) {
            throw new InvalidTemplateException("JavaScript does not compile at " + e.getMessage());
        }
    }

    @Override
    public String render(Map<String, Object> event) throws TemplateEvaluationException {
        String json;
        try {
            json = MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new TemplateEvaluationException("the event cannot be written as JSON");
        }
        return renderJson(json);
    }

    /** Like {@link #render}, for an event already written as JSON. */
    String renderJson(String json) throws TemplateEvaluationException {
        try {
            return function.call(json, value -> value.asString());
        } catch (ScriptFailure e) {
            // The summary (error kind and line) never holds a value of the event.
            throw new TemplateEvaluationException("JavaScript failed: " + e.summary());
        }
    }

    @Override
    public void close() {
        function.close();
    }

    @Override
    public String toString() {
        return "JsTemplate{" + source + "}";
    }
}
