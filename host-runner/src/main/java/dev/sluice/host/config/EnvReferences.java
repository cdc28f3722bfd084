package dev.sluice.host.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} in config strings with the value of an environment variable.
 * {@code ${env.NAME}} (Jitsu Classic's spelling) is accepted too. The environment is injected
 * so that tests do not depend on the process's.
 */
final class EnvReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env[:.]([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> env;

    EnvReferences(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * The text with every reference replaced.
     *
     * @return empty when a referenced variable is unset; {@code missing} then holds its name
     */
    Optional<String> resolve(String text, StringBuilder missing) {
        if (text.indexOf("${env") < 0) {
            return Optional.of(text);
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                missing.append(m.group(1));
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }
}
