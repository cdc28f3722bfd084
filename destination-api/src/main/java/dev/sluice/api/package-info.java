/**
 * The Sluice destination SPI: what a destination is, as seen by the host that runs it.
 *
 * <h2>Parts</h2>
 * <ul>
 *   <li>{@link dev.sluice.api.DestinationFactory}: one per destination type ({@code hubspot}), found
 *       through {@link java.util.ServiceLoader}. It declares the type's config fields and modes and
 *       creates {@link dev.sluice.api.Destination} instances.</li>
 *   <li>{@link dev.sluice.api.Destination}: one per configured destination. It turns a batch of
 *       {@link dev.sluice.api.Event}s into calls to the outside system and reports one
 *       {@link dev.sluice.api.Outcome} per event.</li>
 *   <li>{@link dev.sluice.api.config}: config declared as data and validated before an instance
 *       exists.</li>
 * </ul>
 *
 * <h2>Lifecycle contract</h2>
 * <ol>
 *   <li><b>Discovery.</b> The host loads each plugin JAR in its own class loader and instantiates
 *       every {@code META-INF/services/dev.sluice.api.DestinationFactory} entry with its public
 *       no-argument constructor. A constructor must be cheap and must not do I/O. Factories are
 *       shared by all destinations of their type and must be thread-safe and stateless.</li>
 *   <li><b>Validation.</b> At start-up, on the main thread, the host checks the configured mode
 *       against {@link dev.sluice.api.DestinationFactory#supportedModes()}, validates the raw
 *       config against {@link dev.sluice.api.DestinationFactory#configFields()}
 *       ({@link dev.sluice.api.config.DestinationConfig#validate}), then calls
 *       {@link dev.sluice.api.DestinationFactory#validate} for rules that span fields. Every problem
 *       of every destination is collected and reported at once; the host refuses to start if there
 *       is any.</li>
 *   <li><b>Creation.</b> {@link dev.sluice.api.DestinationFactory#create} is called once per
 *       configured destination, on the main thread, with a validated config. It must not do network
 *       I/O.</li>
 *   <li><b>Start.</b> {@link dev.sluice.api.Destination#start()} is called once, on the
 *       destination's delivery thread, before the first {@code deliver}. It may do network I/O
 *       (read a schema, check credentials). A {@link dev.sluice.api.DestinationException} that is
 *       not {@linkplain dev.sluice.api.DestinationException#retriable() retriable} stops the host
 *       with its message; a retriable one (or any other exception) makes the host call
 *       {@code start()} again later, with backoff, before any delivery.</li>
 *   <li><b>Delivery.</b> {@link dev.sluice.api.Destination#deliver} is called repeatedly from that
 *       one delivery thread; calls to one instance never overlap. It returns one outcome per event,
 *       in the order of the events. Throwing counts as {@link dev.sluice.api.Outcome.Retry} for the
 *       whole batch. The host, not the destination, owns the queue, the retry schedule and the
 *       dead-letter store: a destination never sleeps to retry, it returns
 *       {@link dev.sluice.api.Outcome#retry(String, java.time.Instant)}.</li>
 *   <li><b>Close.</b> {@link dev.sluice.api.Destination#close()} is called once, after the last
 *       {@code deliver} has returned, on the thread that shuts the host down. The instance is not
 *       used again.</li>
 * </ol>
 *
 * <h2>Secrets</h2>
 * Fields declared {@linkplain dev.sluice.api.config.ConfigField#secret() secret} are masked in every
 * {@code toString}, problem message and exception of this package. Destinations must keep them out
 * of their own logs, exceptions and outcome reasons too.
 *
 * <p>This module depends on the JDK alone; no third-party type appears in its signatures.
 */
package dev.sluice.api;
