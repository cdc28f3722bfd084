package dev.sluice.host.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link EventSink} that can also store events without blocking the caller, so ingest can
 * answer from its IO threads instead of parking a worker thread per request.
 */
public interface AsyncEventSink extends EventSink {

    /**
     * Like {@link #enqueue}, but returns at once. The stage completes normally once every event is
     * durably stored, or exceptionally with {@link QueueFullException} or
     * {@link SinkUnavailableException} (nothing stored). It must complete within a bounded time:
     * a commit that does not happen in time completes it with {@link SinkUnavailableException}
     * (and is then not made, as with {@link #enqueue}, unless the store was already writing it: a
     * commit finishing just after the wait is possible, so a retry may duplicate); ingest adds no
     * timeout of its own. It may complete on the sink's own thread: callers must hand any slow
     * work elsewhere.
     */
    CompletionStage<Void> enqueueAsync(List<RoutedEvent> events);

    /**
     * {@link #enqueueAsync} for several requests at once (a sink may store them in one write):
     * one stage per request, in order, each completing as {@link #enqueueAsync}'s would.
     */
    default List<CompletionStage<Void>> enqueueAllAsync(List<List<RoutedEvent>> requests) {
        List<CompletionStage<Void>> stages = new ArrayList<>(requests.size());
        for (List<RoutedEvent> events : requests) {
            try {
                stages.add(enqueueAsync(events));
            } catch (RuntimeException e) {
                stages.add(CompletableFuture.failedFuture(e)); // this request's failure alone
            }
        }
        return stages;
    }
}
