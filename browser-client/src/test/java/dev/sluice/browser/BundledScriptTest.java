package dev.sluice.browser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JAR holds the pinned browser build of @jitsu/sdk-js and its NOTICE. */
class BundledScriptTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = BundledScriptTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("class path resource %s (npm ci + copy in the build)", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theBrowserBuildOfThePinnedVersionIsOnTheClassPath() throws IOException {
        String lib = resource("dev/sluice/browser/lib.js");
        // The in-browser entry point: reads data-* attributes of its own script tag and strips
        // /s/lib.js from its src to find the tracking host.
        assertThat(lib).contains("/s/lib.js").contains("data-init-only").contains("/api/v1/event");
        assertThat(resource("dev/sluice/browser/package.json"))
                .contains("\"name\": \"@jitsu/sdk-js\"").contains("\"version\": \"3.1.5\"").contains("\"license\": \"MIT\"");
    }

    @Test
    void theNoticeNamesTheLicenseAndCopyright() throws IOException {
        // Other JARs on the test class path have a META-INF/NOTICE too: find this module's.
        List<String> notices = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/NOTICE"))) {
            try (InputStream in = url.openStream()) {
                notices.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(notices).filteredOn(n -> n.contains("@jitsu/sdk-js 3.1.5")).singleElement()
                .satisfies(n -> assertThat(n).contains("MIT License").contains("Copyright (c) 2020 kSense"));
    }
}
