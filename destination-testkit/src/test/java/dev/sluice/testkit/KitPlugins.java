package dev.sluice.testkit;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.FieldType;
import dev.sluice.api.config.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Small destinations for the kit's own tests: one that keeps every rule, and one per broken rule.
 * Each "delivers" into memory; an event without a string {@code event_type} is malformed.
 */
final class KitPlugins {

    private KitPlugins() {
    }

    /** What the host hands over reaches here (shared by every instance, for SluiceTestHost tests). */
    static final List<Event> DELIVERED = new CopyOnWriteArrayList<>();

    /** Keeps every rule. */
    public static class GoodFactory implements DestinationFactory {
        @Override
        public String type() {
            return "kit_good";
        }

        @Override
        public Set<String> supportedModes() {
            return Set.of(MODE_STREAM);
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of(
                    ConfigField.of("endpoint", FieldType.STRING).asRequired().description("where to send"),
                    ConfigField.of("token", FieldType.STRING).asRequired().asSecret().description("the API token"),
                    ConfigField.of("timeout", FieldType.DURATION).description("how long to wait"),
                    ConfigField.of("reject_type", FieldType.STRING).description("event type to reject"));
        }

        @Override
        public Destination create(DestinationContext context) {
            return new GoodDestination(context);
        }
    }

    static class GoodDestination implements Destination {
        final DestinationContext context;
        final Secret token;
        boolean closed;

        GoodDestination(DestinationContext context) {
            this.context = context;
            this.token = context.config().getSecret("token").orElseThrow();
        }

        Outcome one(Event e) {
            if (e.eventType().isEmpty()) {
                return Outcome.rejected("no event_type");
            }
            if (e.eventType().get().equals(context.config().getString("reject_type").orElse(""))) {
                return Outcome.rejected("events of type " + e.eventType().get() + " are refused here");
            }
            DELIVERED.add(e);
            return Outcome.delivered();
        }

        @Override
        public List<Outcome> deliver(List<Event> events) {
            List<Outcome> out = new ArrayList<>();
            events.forEach(e -> out.add(one(e)));
            return out;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Puts its token into rejection reasons. */
    public static class EchoesSecretFactory extends GoodFactory {
        @Override
        public Destination create(DestinationContext context) {
            return new GoodDestination(context) {
                @Override
                Outcome one(Event e) {
                    return e.eventType().isEmpty() ? Outcome.rejected("no event_type (sent with token "
                            + token.reveal() + ")") : super.one(e);
                }
            };
        }
    }

    /** Logs its token. */
    public static class LogsSecretFactory extends GoodFactory {
        @Override
        public Destination create(DestinationContext context) {
            context.logger().log(System.Logger.Level.DEBUG, "connecting with token " + context.config()
                    .getSecret("token").orElseThrow().reveal());
            return new GoodDestination(context);
        }
    }

    /** Reports its token as a metrics label. */
    public static class ReportsSecretFactory extends GoodFactory {
        @Override
        public Destination create(DestinationContext context) {
            context.metrics().valueDropped("token " + context.config().getSecret("token").orElseThrow().reveal(),
                    "not sent");
            return new GoodDestination(context);
        }
    }

    /** Drops the last outcome of batches longer than one. */
    public static class TooFewOutcomesFactory extends GoodFactory {
        @Override
        public Destination create(DestinationContext context) {
            return new GoodDestination(context) {
                @Override
                public List<Outcome> deliver(List<Event> events) {
                    List<Outcome> all = super.deliver(events);
                    return all.size() > 1 ? all.subList(0, all.size() - 1) : all;
                }
            };
        }
    }

    /** Throws on an event without an event type. */
    public static class ThrowsOnMalformedFactory extends GoodFactory {
        @Override
        public Destination create(DestinationContext context) {
            return new GoodDestination(context) {
                @Override
                Outcome one(Event e) {
                    return e.eventType().isEmpty() ? failHard(e) : super.one(e);
                }
            };
        }

        private static Outcome failHard(Event e) {
            throw new IllegalArgumentException("event " + e.id() + " has no event_type");
        }
    }

    /** Retries a malformed event forever. */
    public static class RetriesMalformedFactory extends GoodFactory {
        @Override
        public Destination create(DestinationContext context) {
            return new GoodDestination(context) {
                @Override
                Outcome one(Event e) {
                    return e.eventType().isEmpty() ? Outcome.retry("cannot read event_type") : super.one(e);
                }
            };
        }
    }

    /** Throws on the second close. */
    public static class CloseTwiceFactory extends GoodFactory {
        @Override
        public Destination create(DestinationContext context) {
            return new GoodDestination(context) {
                @Override
                public void close() {
                    if (closed) {
                        throw new IllegalStateException("already closed");
                    }
                    closed = true;
                }
            };
        }
    }

    /** A factory without the services entry. */
    public static class UnregisteredFactory extends GoodFactory {
        @Override
        public String type() {
            return "kit_unregistered";
        }
    }
}
