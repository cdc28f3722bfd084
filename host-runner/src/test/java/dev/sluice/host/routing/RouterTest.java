package dev.sluice.host.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RouterTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger routerLog = (Logger) LoggerFactory.getLogger(Router.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        routerLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        routerLog.detachAppender(logs);
    }

    private static DestinationRoute route(String id, List<String> onlyTokens, String template) {
        return new DestinationRoute(id, onlyTokens, Optional.ofNullable(template));
    }

    private static Map<String, Object> event(Object... keyValues) {
        Map<String, Object> event = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            event.put((String) keyValues[i], keyValues[i + 1]);
        }
        return event;
    }

    @Test
    void onlyTokensLimitsDestinationsToTheNamedKeys() throws Exception {
        Router router = Router.create(List.of(route("all", List.of(), null), route("web_only", List.of("web"), null)));
        assertThat(router.route("web", event("a", 1)).destinations()).containsExactly("all", "web_only");
        assertThat(router.route("backend", event("a", 1)).destinations()).containsExactly("all");
    }

    @Test
    void templateResultDecidesKeepOrSkipAndSkipsAreCounted() throws Exception {
        Router router = Router.create(List.of(
                route("hubspot", List.of(), "$.user?.email"),
                route("no_pageviews", List.of(), "$.event_type == \"pageview\" ? \"\" : $.event_type"),
                route("go", List.of(), "{{.event_type}}"),
                route("constant", List.of(), "events")));
        Routing pageview = router.route("k", event("event_type", "pageview"));
        assertThat(pageview.destinations()).containsExactly("go", "constant");
        assertThat(pageview.skipped()).containsExactly("hubspot", "no_pageviews");

        Routing identify = router.route("k", event("event_type", "user_identify", "user", Map.of("email", "a@b.c")));
        assertThat(identify.destinations()).containsExactly("hubspot", "no_pageviews", "go", "constant");

        assertThat(router.counts().get("hubspot")).isEqualTo(new RouteCounts(0, 1, 0));
        router.countRouted("hubspot", 1);
        assertThat(router.counts().get("hubspot")).isEqualTo(new RouteCounts(1, 1, 0));
    }

    @Test
    void constantFalseOrNullSkipsEverything() throws Exception {
        Router router = Router.create(List.of(route("off", List.of(), "false"), route("none", List.of(), " null ")));
        Routing routing = router.route("k", event("event_type", "x"));
        assertThat(routing.destinations()).isEmpty();
        assertThat(routing.skipped()).containsExactly("off", "none");
    }

    @Test
    void evaluationErrorFailsOnlyThatDestinationAndIsLoggedOnceWithoutTheEvent() throws Exception {
        Router router = Router.create(List.of(route("strict", List.of(), "$.user.email"), route("other", List.of(), null)));
        Map<String, Object> event = event("event_type", "secret-event-type", "email", "person@example.com");

        Routing first = router.route("k", event);
        Routing second = router.route("k", event);

        assertThat(first.destinations()).containsExactly("other");
        assertThat(first.failed()).containsExactly("strict");
        assertThat(second.failed()).containsExactly("strict");
        assertThat(router.counts().get("strict")).isEqualTo(new RouteCounts(0, 0, 2));
        assertThat(logs.list).hasSize(1);
        String logged = logs.list.get(0).getFormattedMessage();
        assertThat(logged).contains("strict").contains("$.user.email")
                .doesNotContain("secret-event-type").doesNotContain("person@example.com");
    }

    @Test
    void createRefusesBadTemplatesNamingEachDestination() {
        List<DestinationRoute> routes = List.of(route("good", List.of(), "$.user?.email"),
                route("bad_js", List.of(), "$.user ?"), route("bad_go", List.of(), "{{ range .x }}"));
        assertThat(Router.validate(routes)).hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("destinations.bad_js.table_name_template: "))
                .anySatisfy(p -> assertThat(p).startsWith("destinations.bad_go.table_name_template: "));
        assertThatThrownBy(() -> Router.create(routes)).isInstanceOf(InvalidRoutesException.class)
                .satisfies(e -> assertThat(((InvalidRoutesException) e).problems()).hasSize(2));
        assertThat(Router.validateTemplate("$.user?.email")).isEmpty();
        assertThat(Router.validateTemplate("{{.x")).isPresent();
    }

    @Test
    void routingDoesNotChangeTheEvent() throws Exception {
        Router router = Router.create(List.of(route("d", List.of(), "$.user?.email")));
        Map<String, Object> event = event("user", new HashMap<>(Map.of("email", "a@b.c")));
        router.route("k", event);
        assertThat(event).isEqualTo(Map.of("user", Map.of("email", "a@b.c")));
    }
}
