package dev.sluice.host.config;

import dev.sluice.host.plugins.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** docs/events-api.md shows the error a template that does not compile gets, as the code prints it. */
class TemplateErrorDocsTest {

    private static final Path DOC = Path.of(System.getProperty("user.dir")).resolve("../docs/events-api.md").normalize();

    @TempDir
    Path dir;

    @Test
    void theDocumentedCompileErrorIsWhatCheckPrints() throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), """
                destinations:
                  my_hubspot:
                    type: hubspot
                    data_layout:
                      table_name_template: '$.user ?'
                """);
        HostConfig config = new ConfigLoader(Map.of()).load(file).config();
        InvalidHostConfigException e = catchThrowableOfType(InvalidHostConfigException.class,
                () -> new DestinationValidator(PluginRegistry.builder().build()).validate(config));
        assertThat(e).isNotNull();
        HostConfigProblem problem = e.problems().stream()
                .filter(p -> p.where().endsWith("table_name_template")).findFirst().orElseThrow();
        String printed = new HostConfigProblem("sluice.yaml", problem.where(), problem.message()).toString();

        assertThat(Files.readString(DOC)).contains("`" + printed + "`");
    }
}
