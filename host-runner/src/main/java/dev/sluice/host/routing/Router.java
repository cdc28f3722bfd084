package dev.sluice.host.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which destinations get an event: a destination gets it when its {@code only_tokens} is
 * empty or names the api key's id, and its {@code table_name_template} (if any) renders to
 * something other than blank, {@code null} or {@code false}. Templates are compiled once, here.
 * A template that fails for an event is a failure for that event and destination only: counted,
 * logged once per destination (with the error, never the event), and the other destinations
 * still get the event. Thread-safe.
 */
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final List<CompiledRoute> routes;

    private Router(List<CompiledRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    /**
     * Compiles every destination's template.
     *
     * @throws InvalidRoutesException listing every destination whose template does not compile
     */
    public static Router create(List<DestinationRoute> destinations) throws InvalidRoutesException {
        List<String> problems = new ArrayList<>();
        List<CompiledRoute> routes = new ArrayList<>();
        for (DestinationRoute destination : destinations) {
            try {
                routes.add(new CompiledRoute(destination, compile(destination)));
            } catch (InvalidTemplateException e) {
                problems.add(problem(destination, e));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRoutesException(problems);
        }
        return new Router(routes);
    }

    /**
     * Checks every destination's template without building a router: one message per destination
     * whose template does not compile, each naming the destination; empty when all are valid.
     */
    public static List<String> validate(List<DestinationRoute> destinations) {
        List<String> problems = new ArrayList<>();
        for (DestinationRoute destination : destinations) {
            try {
                compile(destination);
            } catch (InvalidTemplateException e) {
                problems.add(problem(destination, e));
            }
        }
        return problems;
    }

    /** Checks one template text; the problem, or empty when it compiles. */
    public static Optional<String> validateTemplate(String template) {
        try {
            TableNameTemplate.compile(template);
            return Optional.empty();
        } catch (InvalidTemplateException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<TableNameTemplate> compile(DestinationRoute destination) throws InvalidTemplateException {
        if (destination.template().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(TableNameTemplate.compile(destination.template().get()));
    }

    private static String problem(DestinationRoute destination, InvalidTemplateException e) {
        return "destinations." + destination.id() + ".table_name_template: " + e.getMessage();
    }

    /**
     * Routes one event sent with the api key {@code apiKeyId}. The event is only read.
     */
    public Routing route(String apiKeyId, Map<String, Object> event) {
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(event, "event");
        List<String> kept = new ArrayList<>(routes.size());
        List<String> skipped = List.of();
        List<String> failed = List.of();
        for (CompiledRoute route : routes) {
            if (!route.destination.accepts(apiKeyId)) {
                continue;
            }
            switch (route.decide(event)) {
                case KEEP -> kept.add(route.destination.id());
                case SKIP -> skipped = append(skipped, route.destination.id());
                case FAIL -> failed = append(failed, route.destination.id());
            }
        }
        return Routing.of(kept, skipped, failed);
    }

    /** Call after the events were stored: counts them as routed. */
    public void countRouted(String destinationId, int events) {
        for (CompiledRoute route : routes) {
            if (route.destination.id().equals(destinationId)) {
                route.routed.add(events);
            }
        }
    }

    /** Counters per destination id, in config order. */
    public Map<String, RouteCounts> counts() {
        Map<String, RouteCounts> counts = new LinkedHashMap<>();
        for (CompiledRoute route : routes) {
            counts.put(route.destination.id(), new RouteCounts(route.routed.sum(), route.skipped.sum(),
                    route.failed.sum()));
        }
        return counts;
    }

    /** The destinations this router knows, in config order. */
    public List<String> destinationIds() {
        return routes.stream().map(r -> r.destination.id()).toList();
    }

    private static List<String> append(List<String> list, String id) {
        List<String> copy = list.isEmpty() ? new ArrayList<>(2) : list;
        copy.add(id);
        return copy;
    }

    private enum Decision { KEEP, SKIP, FAIL }

    private static final class CompiledRoute {
        final DestinationRoute destination;
        final Optional<TableNameTemplate> template;
        final LongAdder routed = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder failed = new LongAdder();
        final AtomicBoolean failureLogged = new AtomicBoolean();

        CompiledRoute(DestinationRoute destination, Optional<TableNameTemplate> template) {
            this.destination = destination;
            this.template = template;
        }

        Decision decide(Map<String, Object> event) {
            if (template.isEmpty()) {
                return Decision.KEEP;
            }
            try {
                if (TableNameTemplate.skips(template.get().render(event))) {
                    skipped.increment();
                    return Decision.SKIP;
                }
                return Decision.KEEP;
            } catch (TemplateEvaluationException e) {
                failed.increment();
                if (failureLogged.compareAndSet(false, true)) {
                    LOG.warn("Destination {}: table_name_template failed for an event, which is not sent there "
                            + "(logged once; see the failed count): {}", destination.id(), e.getMessage());
                }
                return Decision.FAIL;
            }
        }
    }
}
