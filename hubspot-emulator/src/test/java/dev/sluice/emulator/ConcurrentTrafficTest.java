package dev.sluice.emulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentTrafficTest extends EmulatorHarness {

    @Override
    HubSpotEmulator.Builder configure(HubSpotEmulator.Builder builder) {
        return builder.rateLimit(10);
    }

    @Test
    void parallelBurstGetsExactlyTheWindowsWorthOfAnswersAndEveryContactOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> codes = new ArrayList<>();
        try {
            for (int i = 0; i < 25; i++) {
                String body = inputs(input("user" + i + "@example.com", "t" + i, "{\"firstname\":\"U\"}"));
                codes.add(pool.submit(() -> {
                    assertThat(go.await(5, TimeUnit.SECONDS)).isTrue();
                    return post(upsertPath("v3"), body).code();
                }));
            }
            go.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> code : codes) {
                results.add(code.get(10, TimeUnit.SECONDS));
            }

            assertThat(results).filteredOn(c -> c == 200).hasSize(10);
            assertThat(results).filteredOn(c -> c == 429).hasSize(15);
            assertThat(emulator.contacts()).hasSize(10);
            assertThat(emulator.stats().maxRequestsInTenSeconds(TOKEN)).isEqualTo(25);
            assertThat(emulator.stats().rateLimited()).isEqualTo(15);
        } finally {
            pool.shutdownNow();
        }
    }
}
