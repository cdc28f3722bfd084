package dev.sluice.hubspot.http;

import dev.sluice.api.Outcome;
import dev.sluice.hubspot.ratelimit.RateLimitedException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outcome for every event of a call that failed as a whole, for reasons that are not its
 * inputs: 401 and 403 (the destination is misconfigured: retried, logged loudly once per
 * destination), 429, 423, 477, 5xx, timeouts and connection failures (retried not before the time
 * {@link RetrySchedule} gives). 400, 404 and 409 belong to the adapters, which decide per input;
 * if one reaches this class anyway it is rejected with HubSpot's message. One instance per
 * destination; thread-safe.
 */
public final class ResponseClassifier implements FailureClassifier {

    /** The scopes the destination needs, named when HubSpot's 403 does not list them. */
    public static final List<String> REQUIRED_SCOPES = List.of("crm.objects.contacts.write",
            "crm.schemas.contacts.read", "analytics.behavioral_events.send");

    static final int MAX_REASON = 1000;

    private final RetrySchedule schedule;
    private final System.Logger logger;
    private final String destinationId;
    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();

    public ResponseClassifier(RetrySchedule schedule, System.Logger logger, String destinationId) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.destinationId = Objects.requireNonNull(destinationId, "destinationId");
    }

    /** The classifier of one destination: its clock, logger and id. */
    public static ResponseClassifier forDestination(dev.sluice.api.DestinationContext context) {
        return new ResponseClassifier(new RetrySchedule(context.clock()), context.logger(), context.destinationId());
    }

    @Override
    public Outcome classify(HubSpotResponse response) {
        int status = response.status();
        HubSpotError error = HubSpotError.of(response).orElse(new HubSpotError(null, null, null, null, null,
                null, null, null, null));
        return switch (status) {
            case 401 -> unauthorized(error);
            case 403 -> forbidden(error);
            case 429 -> rateLimited(response, error);
            case 423 -> Outcome.retry(describe("HubSpot resource locked", status, error),
                    schedule.afterLocked(response));
            case 477 -> Outcome.retry(describe("HubSpot migration in progress", status, error),
                    schedule.afterMigration(response));
            case 408 -> Outcome.retry(describe("HubSpot timed out", status, error), schedule.afterOutage(response));
            default -> {
                if (status >= 500) {
                    yield Outcome.retry(describe("HubSpot unavailable", status, error), schedule.afterOutage(response));
                }
                if (status >= 400) {
                    yield Outcome.rejected(describe("HubSpot refused the request", status, error));
                }
                yield Outcome.retry(truncate("unexpected HubSpot answer: HTTP " + status), schedule.afterOutage(response));
            }
        };
    }

    @Override
    public Outcome classify(IOException failure) {
        if (failure instanceof RateLimitedException limited) {
            return Outcome.retry(truncate(limited.getMessage()), limited.notBefore());
        }
        String what = failure instanceof CallFailedException call && call.kind() == CallFailedException.Kind.TIMEOUT
                ? "HubSpot call timed out" : "HubSpot call failed";
        return Outcome.retry(truncate(what + ": " + failure.getMessage()), schedule.afterIoFailure());
    }

    private Outcome unauthorized(HubSpotError error) {
        String reason = "HubSpot rejected the access token (401 "
                + (error.category().isEmpty() ? "INVALID_AUTHENTICATION" : error.category()) + ")";
        if (loggedOnce.add("401")) {
            logger.log(Level.ERROR, "Destination '" + destinationId + "' is misconfigured: " + reason
                    + ". Every event is retried until access_token is fixed (HubSpot refuses API keys since"
                    + " 2022-11-30: use a private-app access token)" + correlation(error));
        }
        return Outcome.retry(reason, schedule.afterAuthFailure());
    }

    private Outcome forbidden(HubSpotError error) {
        List<String> scopes = error.contextValues("requiredScopes");
        if (scopes.isEmpty()) {
            scopes = error.contextValues("missingScopes");
        }
        String category = error.category().isEmpty() ? "MISSING_SCOPES" : error.category();
        String reason = scopes.isEmpty()
                ? "HubSpot refused the call (403 " + category + ")"
                        + (error.message().isEmpty() ? "" : ": " + error.message())
                        + "; the token needs the scopes " + String.join(", ", REQUIRED_SCOPES)
                        + " (custom events also need a HubSpot Enterprise plan)"
                : "HubSpot refused the call: the access token lacks the scope(s) " + String.join(", ", scopes)
                        + " (403 " + category + ")";
        reason = truncate(reason);
        if (loggedOnce.add("403 " + category + " " + scopes)) {
            logger.log(Level.ERROR, "Destination '" + destinationId + "' is misconfigured: " + reason
                    + ". Events are retried until the token's scopes are fixed" + correlation(error));
        }
        return Outcome.retry(reason, schedule.afterAuthFailure());
    }

    private Outcome rateLimited(HubSpotResponse response, HubSpotError error) {
        String policy = error.policyName().isEmpty() ? "rate limit" : error.policyName();
        boolean daily = RetrySchedule.isDailyLimit(response);
        if (daily && loggedOnce.add("429 DAILY " + RetrySchedule.nextFullHour(schedule.now()))) {
            logger.log(Level.WARNING, "Destination '" + destinationId + "': HubSpot's daily API limit is used up;"
                    + " events wait until " + schedule.afterRateLimit(response) + correlation(error));
        }
        return Outcome.retry("HubSpot rate limit reached (429 " + policy + ")", schedule.afterRateLimit(response));
    }

    private static String describe(String what, int status, HubSpotError error) {
        StringBuilder text = new StringBuilder(what).append(" (").append(status);
        if (!error.category().isEmpty()) {
            text.append(' ').append(error.category());
        }
        text.append(')');
        if (!error.message().isEmpty()) {
            text.append(": ").append(error.message());
        }
        return truncate(text.toString());
    }

    private static String correlation(HubSpotError error) {
        return error.correlationId().isEmpty() ? "" : " (correlationId " + error.correlationId() + ")";
    }

    static String truncate(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }
}
