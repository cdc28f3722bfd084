package dev.sluice.host.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped logback.xml (host-runner's, on the distribution's class path) in a context of its
 * own: SLUICE_LOG_FORMAT=json writes one JSON object per line, the level comes from
 * SLUICE_LOG_LEVEL, and the JDK's own loggers stay at INFO when the rest is at DEBUG.
 */
class LogbackConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private LoggerContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    /** A context configured by the shipped logback.xml with these properties (as -D or env would give). */
    @SuppressWarnings("unchecked")
    private LoggerContext configure(Map<String, String> properties) throws Exception {
        context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL config = LogbackConfigTest.class.getClassLoader().getResource("logback.xml");
        assertThat(config).as("logback.xml on the class path").isNotNull();
        assertThat(config.getPath()).contains("host-runner");
        configurator.doConfigure(config);
        // what the root's appender (stderr) writes, captured here
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appender ->
                ((OutputStreamAppender<ILoggingEvent>) appender).setOutputStream(err));
        return context;
    }

    private List<String> lines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        Logger log = configure(Map.of("sluice.log.format", "json")).getLogger("dev.sluice.test");

        log.info("accepted {} events for {}", 3, "crm \"eu\"\nsecond line");
        log.error("delivery failed", new IllegalStateException("HubSpot said 502"));

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        List<JsonNode> objects = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            objects.add(node);
        }
        assertThat(objects.get(0).get("level").asText()).isEqualTo("INFO");
        assertThat(objects.get(0).get("loggerName").asText()).isEqualTo("dev.sluice.test");
        assertThat(objects.get(0).get("formattedMessage").asText())
                .isEqualTo("accepted 3 events for crm \"eu\"\nsecond line");
        assertThat(objects.get(0).has("timestamp")).isTrue();
        assertThat(objects.get(1).get("level").asText()).isEqualTo("ERROR");
        assertThat(objects.get(1).get("throwable").get("message").asText()).isEqualTo("HubSpot said 502");
    }

    @Test
    void textIsTheDefaultFormat() throws Exception {
        Logger log = configure(Map.of()).getLogger("dev.sluice.test");

        log.info("hello");

        assertThat(lines()).singleElement().satisfies(line ->
                assertThat(line).endsWith(" INFO  [" + Thread.currentThread().getName() + "] dev.sluice.test - hello"));
    }

    @Test
    void anUnknownFormatFallsBackToText() throws Exception {
        Logger log = configure(Map.of("sluice.log.format", "xml")).getLogger("dev.sluice.test");

        log.info("hello");

        assertThat(lines()).singleElement().satisfies(line -> assertThat(line).endsWith("dev.sluice.test - hello"));
    }

    @Test
    void debugShowsSluiceButNotTheJdksCertificateAndHttpClientDumps() throws Exception {
        LoggerContext configured = configure(Map.of("sluice.log.level", "DEBUG"));

        configured.getLogger("dev.sluice.test").debug("a sluice debug line");
        for (String jdk : List.of("jdk.event.security", "jdk.internal.httpclient.debug", "javax.net.ssl",
                "sun.security.ssl", "sun.net.www.protocol.http.HttpURLConnection")) {
            configured.getLogger(jdk).debug("X509Certificate: Alg:SHA256withRSA, Subject:CN=Some Root CA");
            configured.getLogger(jdk).info("{} still says what matters", jdk);
        }

        List<String> lines = lines();
        assertThat(lines).anyMatch(l -> l.endsWith("a sluice debug line"));
        assertThat(lines).noneMatch(l -> l.contains("X509Certificate"));
        assertThat(lines).filteredOn(l -> l.contains("still says what matters")).hasSize(5);
    }
}
