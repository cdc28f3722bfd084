package dev.sluice.host.cli;

import dev.sluice.api.Destination;
import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.config.ValidatedHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a validated host until SIGTERM/SIGINT: the one seam between the command line and the
 * runtime. {@code sluice run} hands it the {@link ValidatedHost} and exits with what
 * {@link #launch} returns.
 *
 * <p>This first body only creates every destination ({@code factory.create}, on this thread, as
 * the SPI contract says), logs "ready", waits for the stop signal and closes them in reverse
 * order. The HTTP ingest, the queues and the delivery workers start here later.
 */
public class HostLauncher {

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

    /** @return the process exit code: 0 after a clean stop, 1 when a destination could not be created */
    public int launch(ValidatedHost host) throws InterruptedException {
        List<Destination> created = new ArrayList<>();
        for (ValidatedDestination d : host.destinations()) {
            try {
                created.add(d.factory().create(d.context(clock)));
                log.info("Created destination '{}' (type {}, mode {}, plugin {} {})", d.id(), d.spec().type(),
                        d.spec().mode(), d.type().plugin().id(), d.type().plugin().version());
            } catch (RuntimeException | LinkageError e) {
                log.error("Destination '{}' (type {}) could not be created: {}", d.id(), d.spec().type(), e.toString());
                closeAll(created);
                return 1;
            }
        }
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = null;
        if (installShutdownHook) {
            hook = new Thread(() -> {
                stopSignal.countDown();
                try {
                    closed.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sluice-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        log.info("Sluice ready: {} destination(s) {}", created.size(),
                host.destinations().stream().map(ValidatedDestination::id).toList());
        try {
            stopSignal.await();
            log.info("Stopping");
        } finally {
            closeAll(created);
            closed.countDown();
        }
        log.info("Stopped");
        return 0;
    }

    private static void closeAll(List<Destination> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                created.get(i).close();
            } catch (RuntimeException | LinkageError e) {
                log.warn("Closing a destination failed: {}", e.toString());
            }
        }
    }
}
