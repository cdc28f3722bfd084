package dev.sluice.hubspot.delivery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelCallsTest {

    @Test
    void runsUpToItsParallelismOfChunksAtOnce() throws Exception {
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        CountDownLatch allFourInFlight = new CountDownLatch(4);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        try (ParallelCalls calls = new ParallelCalls(4, "test-call")) {
            calls.forEachChunk(items, 10, chunk -> {
                allFourInFlight.countDown();
                // Each chunk waits for the other three: this only ends if all four run at once.
                assertThat(allFourInFlight.await(5, TimeUnit.SECONDS)).as("four chunks in flight").isTrue();
                seen.addAll(chunk);
            });
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(items);
    }

    @Test
    void sequentialRunsEveryChunkOnTheCallersThreadInOrder() throws Exception {
        List<String> threads = new ArrayList<>();
        List<List<Integer>> chunks = new ArrayList<>();
        ParallelCalls.sequential().forEachChunk(List.of(1, 2, 3, 4, 5), 2, chunk -> {
            threads.add(Thread.currentThread().getName());
            chunks.add(chunk);
        });
        assertThat(chunks).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
        assertThat(threads).containsOnly(Thread.currentThread().getName());
    }

    @Test
    void aFailingChunkFailsTheWholeRunWithItsException() {
        try (ParallelCalls calls = new ParallelCalls(2, "test-call")) {
            assertThatThrownBy(() -> calls.forEachChunk(List.of(1, 2, 3, 4), 1, chunk -> {
                if (chunk.get(0) == 3) {
                    throw new IllegalStateException("sender bug");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("sender bug");
        }
    }

    @Test
    void refusesAParallelismBelowOne() {
        assertThatThrownBy(() -> new ParallelCalls(0, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
