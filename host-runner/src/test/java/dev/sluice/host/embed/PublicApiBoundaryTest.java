package dev.sluice.host.embed;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * host-runner's public API is {@code dev.sluice.host.embed}: no other module (the test kit, the
 * plugins, the benchmarks, the end-to-end tests, the example) may import anything else of it.
 * Only code counts, not text in string literals (a profiler's package prefixes, a main class name on
 * a command line). The one exception is {@code PluginJarBuilder}, a test helper shared through
 * host-runner's test JAR.
 */
class PublicApiBoundaryTest {

    private static final Pattern HOST_REFERENCE = Pattern.compile("\\bdev\\.sluice\\.host\\.([A-Za-z_][\\w.]*)");

    private static final Pattern STRING_LITERALS = Pattern.compile("\"\"\"[\\s\\S]*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"");

    static String withoutStringLiterals(String source) {
        return STRING_LITERALS.matcher(source).replaceAll("\"\"");
    }

    @Test
    void stringLiteralsAreNotCountedButCodeIs() {
        assertThat(withoutStringLiterals("String a = \"dev.sluice.host.queue.\"; import dev.sluice.host.queue.X;"))
                .isEqualTo("String a = \"\"; import dev.sluice.host.queue.X;");
        assertThat(withoutStringLiterals("s = \"\"\"\n dev.sluice.host.cli.SluiceMain\n\"\"\"; t = \"a\\\"b\";"))
                .isEqualTo("s = \"\"; t = \"\";");
    }

    @Test
    void otherModulesUseOnlyTheEmbeddingApi() throws IOException {
        Path repository = Path.of("").toAbsolutePath().getParent();
        assertThat(repository.resolve("host-runner")).as("run from the host-runner module folder").isDirectory();
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(repository)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = repository.relativize(file);
                if (relative.startsWith("host-runner") || relative.toString().contains("/target/")
                        || relative.toString().contains("node_modules")) {
                    continue;
                }
                scanned++;
                Matcher m = HOST_REFERENCE.matcher(withoutStringLiterals(Files.readString(file)));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.startsWith("embed.") && !used.equals("plugins.PluginJarBuilder")) {
                        violations.add(relative + ": dev.sluice.host." + used);
                    }
                }
            }
        }
        assertThat(scanned).as("Java files of the other modules").isGreaterThan(50);
        assertThat(violations).as("uses of host-runner internals outside host-runner").isEmpty();
    }
}
