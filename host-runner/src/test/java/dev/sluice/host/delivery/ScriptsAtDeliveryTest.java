package dev.sluice.host.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.host.pipeline.RoutedEvent;
import dev.sluice.host.queue.DeadLetter;
import dev.sluice.host.queue.DeadLetters;
import dev.sluice.host.queue.DurableQueue;
import dev.sluice.host.queue.MutableClock;
import dev.sluice.host.queue.QueueDatabase;
import dev.sluice.host.queue.QueueLimit;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.RouteCounts;
import dev.sluice.host.routing.Router;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination's JavaScript run by its delivery worker, on the event as it was stored: what the
 * transform returns is what the destination gets, a skip removes the event, a failure (a throw, a
 * loop stopped by the time limit) makes only that event a dead letter with the JavaScript error,
 * and a split event is settled as one: retried if any of its parts is.
 */
class ScriptsAtDeliveryTest {

    private static final String TRANSFORM = """
            if ($.skip) return null;
            if ($.loop) { while (true) {} }
            if ($.fail) throw new Error('no user in ' + $.event_type);
            const user = {...$.eventn_ctx?.user, ...$.user};
            if ($.split) return [{...$, user}, {event_type: 'extra', user, JITSU_TABLE_NAME: 'extras'}];
            return {...$, user};
            """;

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(DeliveryWorkerTest.T0);
    private DurableQueue store;
    private Router router;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        if (router != null) {
            router.close();
        }
    }

    private DeliveryWorker worker(ScriptedDestination destination, String transform, String template) throws Exception {
        router = Router.create(List.of(new DestinationRoute("hs", List.of(), Optional.ofNullable(template),
                Optional.ofNullable(transform))), Router.ScriptsRun.AT_DELIVERY);
        store = DurableQueue.open(QueueDatabase.open(dataDir), Map.of("hs", QueueLimit.of(DeliveryWorkerTest.SETTINGS)),
                clock);
        return new DeliveryWorker("hs", destination, DeliveryWorkerTest.SETTINGS, store.destination("hs"), clock,
                new FixedJitter(0.5), (id, e) -> {
                    throw new AssertionError("unexpected fatal start of " + id);
                }, router.scriptsAtDelivery("hs", 10_000));
    }

    private void enqueue(String id, String extraFields) throws Exception {
        store.enqueue(List.of(new RoutedEvent("hs", id, ("{\"event_type\":\"identify\",\"user\":{\"email\":\"" + id
                + "@example.com\"},\"eventn_ctx\":{\"user\":{\"anonymous_id\":\"anon-" + id + "\"}}" + extraFields
                + "}").getBytes(StandardCharsets.UTF_8))));
    }

    private List<DeadLetter> deadLetters() throws Exception {
        return new DeadLetters(store.database(), clock).list(Optional.empty(), 100);
    }

    @Test
    void theDestinationGetsWhatTheTransformMadeAndOnlyTheFailingEventIsDeadLettered() throws Exception {
        ScriptedDestination hs = new ScriptedDestination().then(ScriptedDestination.all(Outcome.delivered()));
        DeliveryWorker worker = worker(hs, TRANSFORM, null);
        enqueue("plain", "");
        enqueue("skipped", ",\"skip\":true");
        enqueue("looping", ",\"loop\":true");
        enqueue("throwing", ",\"fail\":true");
        enqueue("split", ",\"split\":true");

        assertThat(worker.deliverOnce()).isEqualTo(5);

        assertThat(hs.calls).hasSize(1);
        List<Event> sent = hs.calls.get(0);
        assertThat(sent).extracting(Event::id).containsExactly("plain", "split", "split-1");
        assertThat(sent.get(0).fields().get("user")).isEqualTo(Map.of("anonymous_id", "anon-plain",
                "email", "plain@example.com"));
        assertThat(sent.get(2).fields()).containsEntry("event_type", "extra").doesNotContainKey("JITSU_TABLE_NAME");

        List<DeadLetter> dead = deadLetters();
        assertThat(dead).extracting(DeadLetter::eventId).containsExactlyInAnyOrder("looping", "throwing");
        assertThat(dead).filteredOn(d -> d.eventId().equals("looping")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("data_layout.transform failed")
                        .contains("time limit"));
        assertThat(dead).filteredOn(d -> d.eventId().equals("throwing")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("Error: no user in identify").contains("line 3"));
        // What is dead-lettered is the event as it was accepted, for a replay once the script is fixed.
        assertThat(dead).filteredOn(d -> d.eventId().equals("looping")).singleElement()
                .satisfies(d -> assertThat(new String(d.json(), StandardCharsets.UTF_8)).contains("\"loop\":true")
                        .contains("\"eventn_ctx\":{\"user\":{\"anonymous_id\":\"anon-looping\"}}"));

        assertThat(store.destination("hs").depth().events()).isZero();
        DeliveryStats stats = worker.stats();
        assertThat(stats.delivered()).isEqualTo(2);
        assertThat(stats.skipped()).isEqualTo(1);
        assertThat(stats.deadLettered()).isEqualTo(2);
        assertThat(stats.classes().transformFailed()).isEqualTo(2);
        RouteCounts counts = router.counts().get("hs");
        assertThat(counts.transformSkipped()).isEqualTo(1);
        assertThat(counts.transformDeadLettered()).isEqualTo(2);
    }

    @Test
    void aSplitEventIsRetriedWholeWhenOneOfItsPartsIs() throws Exception {
        ScriptedDestination hs = new ScriptedDestination()
                .then(batch -> List.of(Outcome.delivered(), Outcome.retry("HubSpot 503")))
                .then(ScriptedDestination.all(Outcome.delivered()));
        DeliveryWorker worker = worker(hs, TRANSFORM, null);
        enqueue("split", ",\"split\":true");

        assertThat(worker.deliverOnce()).isEqualTo(1);
        assertThat(store.destination("hs").depth().events()).as("retried, not settled").isEqualTo(1);
        assertThat(worker.stats().retried()).isEqualTo(1);

        clock.set(store.destination("hs").nextDueAt().orElseThrow());
        assertThat(worker.deliverOnce()).isEqualTo(1);
        assertThat(hs.calls).hasSize(2);
        assertThat(hs.calls.get(1)).extracting(Event::id).containsExactly("split", "split-1");
        assertThat(store.destination("hs").depth().events()).isZero();
    }

    @Test
    void aJavaScriptTemplateWithoutATransformDecidesAtDelivery() throws Exception {
        ScriptedDestination hs = new ScriptedDestination().then(ScriptedDestination.all(Outcome.delivered()));
        DeliveryWorker worker = worker(hs, null, "$.event_type === 'identify' && !$.skip ? 'contacts' : ''");
        enqueue("kept", "");
        enqueue("dropped", ",\"skip\":true");

        assertThat(worker.deliverOnce()).isEqualTo(2);
        assertThat(hs.calls.get(0)).extracting(Event::id).containsExactly("kept");
        assertThat(worker.stats().skipped()).isEqualTo(1);
        assertThat(router.counts().get("hs").skipped()).isEqualTo(1);
        assertThat(store.destination("hs").depth().events()).isZero();
    }

    @Test
    void whatTheEngineCannotDoFailsOnlyThatEventAndTheWorkerGoesOn() throws Exception {
        ScriptedDestination hs = new ScriptedDestination().then(ScriptedDestination.all(Outcome.delivered()));
        DeliveryWorker worker = worker(hs, "return $.bad ? {toJSON() {}} : $", null);
        enqueue("unwritable", ",\"bad\":true");
        enqueue("fine", "");

        assertThat(worker.deliverOnce()).isEqualTo(2);
        assertThat(hs.calls.get(0)).extracting(Event::id).containsExactly("fine");
        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.reason())
                .contains("JSON.stringify cannot write"));

        // An engine failure that is no script error (here: the router closed under the worker)
        // is that event's failure too, not the worker's.
        router.close();
        enqueue("after-close", "");
        assertThat(worker.deliverOnce()).isEqualTo(1);
        assertThat(worker.state()).isNotEqualTo(WorkerState.FAILED);
        assertThat(deadLetters()).extracting(DeadLetter::eventId).contains("after-close");
        assertThat(deadLetters()).filteredOn(d -> d.eventId().equals("after-close")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("IllegalStateException"));
    }

    @Test
    void aBacklogIsDeliveredThroughTheScriptsInFullBatches() throws Exception {
        ScriptedDestination hs = new ScriptedDestination(4);
        DeliveryWorker worker = worker(hs, TRANSFORM, null);
        for (int i = 0; i < 10; i++) {
            enqueue("e" + i, i % 2 == 0 ? ",\"split\":true" : "");
        }

        worker.deliverBacklog();
        while (worker.deliverOnce() > 0) {
            // the rest, less than a batch beyond the one in hand
        }

        List<String> ids = hs.calls.stream().flatMap(List::stream).map(Event::id).toList();
        assertThat(ids).containsExactlyInAnyOrder("e0", "e0-1", "e1", "e2", "e2-1", "e3", "e4", "e4-1", "e5",
                "e6", "e6-1", "e7", "e8", "e8-1", "e9");
        assertThat(store.destination("hs").depth().events()).isZero();
        assertThat(worker.stats().delivered()).as("rows, not events").isEqualTo(10);
    }

    @Test
    void aSplitRowTakesTheStrongestOutcomeOfItsParts() {
        java.time.Instant soon = DeliveryWorkerTest.T0.plusSeconds(10);
        java.time.Instant later = DeliveryWorkerTest.T0.plusSeconds(60);
        List<Outcome> rows = DeliveryWorker.perRow(List.of(
                        Outcome.rejected("400"), Outcome.retry("503"),
                        Outcome.retry("429", soon), Outcome.retry("429", later), Outcome.retry("503"),
                        Outcome.skipped("no definition"), Outcome.skipped("no definition"),
                        Outcome.skipped("no definition"), Outcome.delivered(),
                        Outcome.delivered()),
                List.of(2, 3, 2, 2, 1));
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).isEqualTo(Outcome.retry("503"));
        assertThat(rows.get(1)).isEqualTo(Outcome.retry("429", later));
        assertThat(rows.get(2)).isInstanceOf(Outcome.Skipped.class);
        assertThat(rows.get(3)).isEqualTo(Outcome.delivered());
        assertThat(rows.get(4)).isEqualTo(Outcome.delivered());
    }

    @Test
    void atIngestTheRouterStoresTheEventWithoutRunningTheScripts() throws Exception {
        router = Router.create(List.of(new DestinationRoute("hs", List.of(), Optional.of("''"),
                Optional.of("throw new Error('must not run at ingest')"))), Router.ScriptsRun.AT_DELIVERY);
        var routing = router.route("key", new java.util.LinkedHashMap<>(Map.of("event_type", "identify")));
        assertThat(routing.destinations()).containsExactly("hs");
        assertThat(routing.deadLettered()).isEmpty();
        assertThat(routing.skipped()).isEmpty();
        assertThat(router.runsScriptsAtIngest()).isFalse();
    }
}
