package dev.sluice.hubspot;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin's packages depend on each other in one direction only: {@code http} (the transport
 * and what its answers mean) knows nothing of {@code delivery}, {@code contacts} or {@code events},
 * and no two packages import each other, directly or through a third.
 */
class PackageCyclesTest {

    private static final JavaClasses PLUGIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice.hubspot");

    @Test
    void thePluginsPackagesAreFreeOfCycles() {
        assertThat(PLUGIN.stream().filter(c -> c.getPackageName().equals("dev.sluice.hubspot.http"))).isNotEmpty();
        slices().matching("dev.sluice.hubspot.(*)..").should().beFreeOfCycles().check(PLUGIN);
    }
}
