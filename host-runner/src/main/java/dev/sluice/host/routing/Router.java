package dev.sluice.host.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.host.script.ScriptFailure;
import dev.sluice.host.script.ScriptSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which destinations get an event, and in what form. Per destination, in Jitsu Classic's
 * order: its {@code only_tokens} must be empty or name the api key's id; then its
 * {@code data_layout.transform} (if any) turns the enriched event into zero, one or several
 * events; then its {@code table_name_template} (if any, unless the transform returned a
 * {@code JITSU_TABLE_NAME}) must render to something other than blank, {@code null} or
 * {@code false}. Templates and transforms are compiled once, here.
 *
 * <p>A template that fails for an event is a failure for that event and destination only:
 * counted, logged once per destination (with the error, never the event), and the other
 * destinations still get the event. A transform that fails (throws, runs past its time limit,
 * returns something unusable) makes the event a dead letter for that destination only, with the
 * reason; it is logged once per destination by error kind and line. Thread-safe.
 */
public final class Router implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** Where a destination's JavaScript (a transform, a JavaScript template) runs. */
    public enum ScriptsRun {
        /** While the event is accepted, before it is stored (events that go to Kafka). */
        AT_INGEST,
        /**
         * When the event is delivered, by the destination's delivery worker (events in the host's
         * own queue): the Events API stores the enriched event without running any script.
         */
        AT_DELIVERY
    }

    private final List<CompiledRoute> routes;
    private final ScriptsRun scriptsRun;

    private Router(List<CompiledRoute> routes, ScriptsRun scriptsRun) {
        this.routes = List.copyOf(routes);
        this.scriptsRun = scriptsRun;
    }

    /**
     * Compiles every destination's template and transform.
     *
     * @throws InvalidRoutesException listing every destination whose template or transform does not compile
     */
    public static Router create(List<DestinationRoute> destinations) throws InvalidRoutesException {
        return create(destinations, ScriptsRun.AT_INGEST);
    }

    /**
     * Compiles every destination's template and transform, to run {@code scriptsRun}.
     *
     * @throws InvalidRoutesException listing every destination whose template or transform does not compile
     */
    public static Router create(List<DestinationRoute> destinations, ScriptsRun scriptsRun)
            throws InvalidRoutesException {
        Objects.requireNonNull(scriptsRun, "scriptsRun");
        List<String> problems = validate(destinations);
        if (!problems.isEmpty()) {
            throw new InvalidRoutesException(problems);
        }
        List<CompiledRoute> routes = new ArrayList<>();
        try {
            for (DestinationRoute destination : destinations) {
                Optional<TableNameTemplate> template = destination.template().isEmpty() ? Optional.empty()
                        : Optional.of(TableNameTemplate.compile(destination.template().get()));
                Optional<Transform> transform = destination.transform().isEmpty() ? Optional.empty()
                        : Optional.of(Transform.compile(destination.id() + ".transform",
                                destination.transform().get(), Transform.DEFAULT_TIME_LIMIT));
                routes.add(new CompiledRoute(destination, template, transform));
            }
        } catch (InvalidTemplateException | ScriptSyntaxException e) {
            routes.forEach(CompiledRoute::close);
            throw new InvalidRoutesException(List.of(e.getMessage()));
        }
        return new Router(routes, scriptsRun);
    }

    /**
     * Checks every destination's template and transform without building a router: one message
     * per problem, each naming the destination and the field; empty when all are valid.
     */
    public static List<String> validate(List<DestinationRoute> destinations) {
        List<String> problems = new ArrayList<>();
        for (DestinationRoute destination : destinations) {
            destination.template().flatMap(Router::validateTemplate).ifPresent(problem -> problems.add(
                    "destinations." + destination.id() + ".table_name_template: " + problem));
            destination.transform().flatMap(Router::validateTransform).ifPresent(problem -> problems.add(
                    "destinations." + destination.id() + ".data_layout.transform: " + problem));
        }
        return problems;
    }

    /** Checks one template text; the problem, or empty when it compiles. */
    public static Optional<String> validateTemplate(String template) {
        try {
            TableNameTemplate.check(template);
            return Optional.empty();
        } catch (InvalidTemplateException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Checks one transform script; the problem (with line and column), or empty when it compiles. */
    public static Optional<String> validateTransform(String script) {
        try {
            Transform.check("transform", script);
            return Optional.empty();
        } catch (ScriptSyntaxException e) {
            return Optional.of("JavaScript does not compile at " + e.getMessage());
        }
    }

    /** Routes one event sent with the api key {@code apiKeyId}. The event is only read. */
    public Routing route(String apiKeyId, Map<String, Object> event) {
        Objects.requireNonNull(event, "event");
        return route(apiKeyId, event, () -> json(event));
    }

    /**
     * Routes one event sent with the api key {@code apiKeyId}; {@code eventJson} gives the same
     * event as JSON, asked for only when a transform or a JavaScript template needs it. The event
     * is only read.
     */
    public Routing route(String apiKeyId, Map<String, Object> event, Supplier<String> eventJson) {
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(eventJson, "eventJson");
        List<String> kept = new ArrayList<>(routes.size());
        List<Routing.Copy> transformed = new ArrayList<>(0);
        List<Routing.Failure> deadLettered = new ArrayList<>(0);
        List<String> skipped = new ArrayList<>(0);
        List<String> failed = new ArrayList<>(0);
        String json = null;
        for (CompiledRoute route : routes) {
            if (!route.destination.accepts(apiKeyId)) {
                continue;
            }
            String id = route.destination.id();
            if (scriptsRun == ScriptsRun.AT_DELIVERY && route.runsScripts()) {
                // Stored as enriched; its delivery worker runs the transform and the template.
                kept.add(id);
                continue;
            }
            if (route.transform.isEmpty()) {
                switch (route.decideOnMap(event)) {
                    case KEEP -> kept.add(id);
                    case SKIP -> skipped.add(id);
                    case FAIL -> failed.add(id);
                }
                continue;
            }
            if (json == null) {
                json = eventJson.get();
            }
            TransformRun run = route.runTransform(json);
            if (run.failure() != null) {
                deadLettered.add(new Routing.Failure(id, run.failure()));
                continue;
            }
            Transform.Result result = run.result();
            if (result.skipReason().isPresent()) {
                skipped.add(id);
                continue;
            }
            boolean anyKept = false;
            boolean anyFailed = false;
            List<Transform.Output> outputs = result.events();
            for (int i = 0; i < outputs.size(); i++) {
                Transform.Output output = outputs.get(i);
                Decision decision = route.decideJson(output.json(), output.tableName());
                if (decision == Decision.KEEP) {
                    transformed.add(new Routing.Copy(id, i, output.json()));
                    anyKept = true;
                } else if (decision == Decision.FAIL) {
                    anyFailed = true;
                }
            }
            if (anyFailed) {
                failed.add(id);
            } else if (!anyKept) {
                skipped.add(id);
            }
        }
        return new Routing(kept, transformed, deadLettered, skipped, failed);
    }

    /**
     * What routing would do with one event at one destination, step by step, without storing or
     * counting anything (the log is not written either). The event is only read.
     *
     * @throws IllegalArgumentException when the router has no such destination
     */
    public DryRun dryRun(String destinationId, String apiKeyId, Map<String, Object> event) {
        CompiledRoute route = routes.stream().filter(r -> r.destination.id().equals(destinationId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no destination '" + destinationId + "'"));
        if (!route.destination.accepts(apiKeyId)) {
            return new DryRun(destinationId, false, Optional.empty(), List.of());
        }
        String json = json(event);
        if (route.transform.isEmpty()) {
            return new DryRun(destinationId, true, Optional.empty(), List.of(route.explain(json, Optional.empty())));
        }
        Transform.Result result;
        try {
            result = route.transform.get().apply(json);
        } catch (ScriptFailure e) {
            return new DryRun(destinationId, true, Optional.of(new DryRun.TransformStep(List.of(), Optional.empty(),
                    Optional.of("data_layout.transform failed: " + e.getMessage()))), List.of());
        }
        List<String> outputs = result.events().stream().map(Transform.Output::json).toList();
        List<DryRun.Result> results = result.events().stream().map(o -> route.explain(o.json(), o.tableName())).toList();
        return new DryRun(destinationId, true,
                Optional.of(new DryRun.TransformStep(outputs, result.skipReason(), Optional.empty())), results);
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
                    route.failed.sum(), route.transformSkipped.sum(), route.transformDeadLettered.sum()));
        }
        return counts;
    }

    /**
     * Whether routing an event at ingest runs JavaScript in the engine (a transform, or a template
     * that is not a plain path, with {@link ScriptsRun#AT_INGEST}): such routing may take up to the
     * scripts' time limit, so it belongs on a worker thread, never on an IO thread.
     */
    public boolean runsScriptsAtIngest() {
        return scriptsRun == ScriptsRun.AT_INGEST && routes.stream().anyMatch(CompiledRoute::runsScripts);
    }

    /**
     * The JavaScript a destination's delivery worker runs on each stored event before sending it:
     * present with {@link ScriptsRun#AT_DELIVERY} for a destination with a transform or a JavaScript
     * template.
     *
     * @param maxEventSize the largest event a transform may return (as for events sent)
     */
    public Optional<DeliveryScripts> scriptsAtDelivery(String destinationId, long maxEventSize) {
        if (scriptsRun != ScriptsRun.AT_DELIVERY) {
            return Optional.empty();
        }
        return routes.stream().filter(r -> r.destination.id().equals(destinationId) && r.runsScripts()).findFirst()
                .map(r -> new DeliveryScripts(json -> prepareAtDelivery(r, json, maxEventSize),
                        e -> unexpectedScriptFailure(r, e)));
    }

    /** For {@link DeliveryScripts}: a failure outside the scripts' own errors, for one event. */
    private static DeliveryScripts.Prepared unexpectedScriptFailure(CompiledRoute route, RuntimeException e) {
        route.transformDeadLettered.increment();
        if (route.unexpectedFailureLogged.compareAndSet(false, true)) {
            LOG.error("Destination {}: running its JavaScript failed for an event, which is stored as a dead letter "
                    + "there (logged once)", route.destination.id(), e);
        }
        return new DeliveryScripts.Failed("data_layout.transform failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /** For {@link DeliveryScripts}: the transform, then the template, on one stored event. */
    private static DeliveryScripts.Prepared prepareAtDelivery(CompiledRoute route, String json, long maxEventSize) {
        if (route.transform.isEmpty()) {
            return switch (route.decideJson(json, Optional.empty())) {
                case KEEP -> new DeliveryScripts.Events(List.of(json));
                case SKIP -> new DeliveryScripts.Skipped("table_name_template gave an empty, null or false result");
                case FAIL -> new DeliveryScripts.Skipped("table_name_template failed for the event");
            };
        }
        TransformRun run = route.runTransform(json);
        if (run.failure() != null) {
            return new DeliveryScripts.Failed(run.failure());
        }
        Transform.Result result = run.result();
        if (result.skipReason().isPresent()) {
            return new DeliveryScripts.Skipped("data_layout.transform skipped the event: " + result.skipReason().get());
        }
        List<String> kept = new ArrayList<>(result.events().size());
        boolean anyFailed = false;
        for (Transform.Output output : result.events()) {
            long size = output.json().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (size > maxEventSize) {
                route.transformDeadLettered.increment();
                // The same bound as for events sent: the event as accepted becomes a dead letter.
                return new DeliveryScripts.Failed("data_layout.transform failed: it returned an event of " + size
                        + " bytes; server.max_event_size is " + maxEventSize);
            }
            Decision decision = route.decideJson(output.json(), output.tableName());
            if (decision == Decision.KEEP) {
                kept.add(output.json());
            } else if (decision == Decision.FAIL) {
                anyFailed = true;
            }
        }
        if (!kept.isEmpty()) {
            return new DeliveryScripts.Events(kept);
        }
        return new DeliveryScripts.Skipped(anyFailed ? "table_name_template failed for what the transform returned"
                : "table_name_template (or JITSU_TABLE_NAME) gave an empty, null or false result");
    }

    /** The destinations this router knows, in config order. */
    public List<String> destinationIds() {
        return routes.stream().map(r -> r.destination.id()).toList();
    }

    /** Releases the JavaScript contexts of templates and transforms. */
    @Override
    public void close() {
        routes.forEach(CompiledRoute::close);
    }

    private static String json(Map<String, Object> event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an accepted event could not be written as JSON", e);
        }
    }

    private enum Decision { KEEP, SKIP, FAIL }

    /** A transform's run on one event: its result, or (result null) the dead letter's reason. */
    private record TransformRun(Transform.Result result, String failure) {
    }

    private static final class CompiledRoute {
        final DestinationRoute destination;
        final Optional<TableNameTemplate> template;
        final Optional<Transform> transform;
        final LongAdder routed = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder transformSkipped = new LongAdder();
        final LongAdder transformDeadLettered = new LongAdder();
        final AtomicBoolean failureLogged = new AtomicBoolean();
        final AtomicBoolean transformFailureLogged = new AtomicBoolean();
        final AtomicBoolean unexpectedFailureLogged = new AtomicBoolean();

        CompiledRoute(DestinationRoute destination, Optional<TableNameTemplate> template, Optional<Transform> transform) {
            this.destination = destination;
            this.template = template;
            this.transform = transform;
        }

        /**
         * The template's decision for an event given as a map, or as JSON (a transform's output,
         * whose {@code JITSU_TABLE_NAME} wins over the template).
         */
        Decision decide(Map<String, Object> event, String json, Optional<String> tableName)
                throws JsonProcessingException {
            if (tableName.isPresent()) {
                return counted(TableNameTemplate.skips(tableName.get()) ? Decision.SKIP : Decision.KEEP);
            }
            if (template.isEmpty()) {
                return Decision.KEEP;
            }
            try {
                String rendered;
                if (json == null) {
                    rendered = template.get().render(event);
                } else if (template.get() instanceof JsTemplate js) {
                    rendered = js.renderJson(json);
                } else {
                    rendered = template.get().render(MAPPER.readValue(json, MAP));
                }
                return counted(TableNameTemplate.skips(rendered) ? Decision.SKIP : Decision.KEEP);
            } catch (TemplateEvaluationException e) {
                failed.increment();
                if (failureLogged.compareAndSet(false, true)) {
                    LOG.warn("Destination {}: table_name_template failed for an event, which is not sent there "
                            + "(logged once; see the failed count): {}", destination.id(), e.getMessage());
                }
                return Decision.FAIL;
            }
        }

        /** The template's verdict on one event given as JSON, without counting or logging. */
        DryRun.Result explain(String json, Optional<String> tableName) {
            if (tableName.isPresent()) {
                boolean skip = TableNameTemplate.skips(tableName.get());
                return new DryRun.Result(json, tableName, "JITSU_TABLE_NAME", skip ? "skipped" : "queued",
                        skip ? Optional.of("JITSU_TABLE_NAME is empty, null or false") : Optional.empty());
            }
            if (template.isEmpty()) {
                return new DryRun.Result(json, Optional.empty(), "none", "queued", Optional.empty());
            }
            try {
                String rendered = template.get() instanceof JsTemplate js ? js.renderJson(json)
                        : template.get().render(MAPPER.readValue(json, MAP));
                boolean skip = TableNameTemplate.skips(rendered);
                return new DryRun.Result(json, Optional.of(rendered), "table_name_template", skip ? "skipped" : "queued",
                        skip ? Optional.of("table_name_template gave an empty, null or false result") : Optional.empty());
            } catch (TemplateEvaluationException | JsonProcessingException e) {
                return new DryRun.Result(json, Optional.empty(), "table_name_template", "failed",
                        Optional.of("table_name_template failed: " + e.getMessage()));
            }
        }

        /** Whether this destination's routing runs JavaScript in the engine. */
        boolean runsScripts() {
            return transform.isPresent() || template.filter(t -> t instanceof JsTemplate).isPresent();
        }

        /**
         * Runs the transform on one event given as JSON: counts a skip, and counts and logs (once
         * per destination, by error kind and line) a failure.
         */
        TransformRun runTransform(String json) {
            try {
                Transform.Result result = transform.orElseThrow().apply(json);
                if (result.skipReason().isPresent()) {
                    transformSkipped.increment();
                }
                return new TransformRun(result, null);
            } catch (ScriptFailure e) {
                transformDeadLettered.increment();
                if (transformFailureLogged.compareAndSet(false, true)) {
                    LOG.warn("Destination {}: data_layout.transform failed for an event ({}), which is stored as a "
                            + "dead letter there (logged once; see the dead letters for each reason)",
                            destination.id(), e.summary());
                }
                return new TransformRun(null, "data_layout.transform failed: " + e.getMessage());
            }
        }

        /** The template's decision for an event given as JSON; JSON it cannot read fails. */
        Decision decideJson(String json, Optional<String> tableName) {
            try {
                return decide(null, json, tableName);
            } catch (JsonProcessingException e) {
                return Decision.FAIL;
            }
        }

        Decision decideOnMap(Map<String, Object> event) {
            try {
                return decide(event, null, Optional.empty());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("no JSON is read for an event given as a map", e);
            }
        }

        private Decision counted(Decision decision) {
            if (decision == Decision.SKIP) {
                skipped.increment();
            }
            return decision;
        }

        void close() {
            template.ifPresent(TableNameTemplate::close);
            transform.ifPresent(Transform::close);
        }
    }
}
