/**
 * The {@code webhook} destination: events as JSON to any HTTP endpoint, one event per request or
 * a JSON array of up to {@code batch_size} events, optionally signed with HMAC-SHA256.
 *
 * <ul>
 *   <li>{@link dev.sluice.webhook.WebhookDestinationFactory}: the declared config fields and the
 *       rules across them.</li>
 *   <li>{@link dev.sluice.webhook.WebhookConfig}: the typed settings.</li>
 *   <li>{@link dev.sluice.webhook.WebhookDestination}: sends requests and reports outcomes.</li>
 *   <li>{@link dev.sluice.webhook.RequestSigner}: the signature receivers can verify.</li>
 * </ul>
 *
 * See {@code docs/webhook.md} for the user-facing reference.
 */
package dev.sluice.webhook;
