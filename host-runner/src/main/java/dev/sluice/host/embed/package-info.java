/**
 * host-runner's public API: Sluice inside a JVM.
 *
 * <ul>
 *   <li>{@link dev.sluice.host.embed.EmbeddedHost}: the host {@code sluice run} starts (config file,
 *       plugin loading, durable queue, delivery, the Jitsu Events API), for tests, benchmarks and
 *       applications; with its {@link dev.sluice.host.embed.DestinationStatus} and
 *       {@link dev.sluice.host.embed.StoredDeadLetter} views.</li>
 *   <li>{@link dev.sluice.host.embed.PluginJarCheck}: loads a plugin JAR exactly as the host does and
 *       reports what the host would refuse.</li>
 * </ul>
 *
 * <p>Every other package of host-runner ({@code cli}, {@code config}, {@code plugins}, {@code queue},
 * {@code ingest}, {@code routing}, {@code delivery}, {@code health}, {@code runtime}) is internal: it
 * may change in any release, and no other module of this repository imports it (a test enforces
 * that). Plugins depend on {@code destination-api}; their tests on {@code destination-testkit}.
 */
package dev.sluice.host.embed;
