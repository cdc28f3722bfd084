package dev.sluice.host.cli;

import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.runtime.HostRuntime;
import dev.sluice.host.runtime.HostStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a validated host until SIGTERM/SIGINT: the one seam between the command line and the
 * runtime. {@code sluice run} hands it the {@link ValidatedHost} and exits with what
 * {@link #launch} returns.
 *
 * <p>It starts the {@link HostRuntime} (destinations, durable queue, delivery workers, Events API),
 * waits for the stop signal (SIGTERM/SIGINT, or a destination's fatal start failure) and stops the
 * runtime in its safe order.
 */
class HostLauncher {

    private static final Logger log = LoggerFactory.getLogger(HostLauncher.class);
    private static final long SHUTDOWN_GRACE_SECONDS = 30;

    private final CountDownLatch stopSignal;
    private final boolean installShutdownHook;
    private final Clock clock;

    /** Stops on SIGTERM/SIGINT (a JVM shutdown hook). */
    public HostLauncher() {
        this(new CountDownLatch(1), true, Clock.systemUTC());
    }

    /**
     * @param stopSignal          counted down to stop the host
     * @param installShutdownHook also count it down on SIGTERM/SIGINT, and hold the JVM until closed
     */
    public HostLauncher(CountDownLatch stopSignal, boolean installShutdownHook, Clock clock) {
        this.stopSignal = Objects.requireNonNull(stopSignal, "stopSignal");
        this.installShutdownHook = installShutdownHook;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts the {@link HostRuntime} and runs it until the stop signal.
     *
     * @return the process exit code: 0 after a clean stop, 1 when the host could not start or a
     *     destination reported a failure that no retry can fix
     */
    public int launch(ValidatedHost host) throws InterruptedException {
        AtomicReference<String> fatal = new AtomicReference<>();
        HostRuntime runtime;
        try {
            runtime = HostRuntime.start(host, clock, (id, message) -> {
                log.error("Destination '{}' cannot work with this config, stopping the host: {}", id, message);
                fatal.compareAndSet(null, id);
                stopSignal.countDown();
            });
        } catch (HostStartException e) {
            log.error("Sluice could not start: {}", e.getMessage());
            return 1;
        }
        CountDownLatch closed = new CountDownLatch(1);
        if (installShutdownHook) {
            handleStopSignals();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopSignal.countDown();
                try {
                    closed.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sluice-shutdown"));
        }
        try {
            stopSignal.await();
        } finally {
            runtime.stop(Duration.ofSeconds(SHUTDOWN_GRACE_SECONDS / 3));
            closed.countDown();
        }
        return fatal.get() == null ? 0 : 1;
    }

    /**
     * SIGTERM and SIGINT stop the host like the stop signal, so a clean stop exits 0 (a JVM ended
     * by the signal itself exits 143 or 130, which supervisors read as a failure). The shutdown
     * hook stays as the fallback where these handlers cannot be installed.
     */
    @SuppressWarnings("removal")
    private void handleStopSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    log.info("SIG{} received", name);
                    stopSignal.countDown();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("Cannot handle SIG{} here ({}); the shutdown hook stops the host", name, e.getMessage());
            }
        }
    }
}
