package dev.sluice.testkit;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationException;
import dev.sluice.api.DestinationFactory;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.api.config.ConfigField;
import dev.sluice.api.config.ConfigProblem;
import dev.sluice.api.config.DestinationConfig;
import dev.sluice.api.config.FieldType;
import dev.sluice.api.config.InvalidConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SPI contract as the host relies on it, for any destination plugin to run against itself.
 * Extend it in your plugin's tests and say how to build a working destination:
 *
 * <pre>{@code
 * class MyDestinationContractTest extends DestinationContractTest {
 *     MockWebServer server = ...;                       // your test backend, started in @BeforeEach
 *     protected DestinationFactory factory() { return new MyDestinationFactory(); }
 *     protected Map<String, Object> validConfig() {
 *         return Map.of("url", server.url("/hook").toString(), "token", "contract-secret-token-1");
 *     }
 * }
 * }</pre>
 *
 * <p>Each rule is one test, and a broken rule fails with a message that says what the host
 * expected and what the plugin did. The rules: the factory declares a usable type and is
 * registered as a service; the valid config passes validation; validation reports every problem
 * at once and names each field; unsupported modes are refused with the plugin's own message;
 * secret values never appear in {@code toString}, validation messages, logs, metrics labels, outcome reasons or
 * exception messages; {@code deliver} returns exactly one outcome per event for single events and
 * full batches; a malformed event neither throws nor is retried, and does not change the other
 * events' outcomes; {@code close} is idempotent, also without {@code start}.
 *
 * <p>{@code deliver} runs against whatever backend {@link #validConfig()} points at (a
 * {@code MockWebServer}, an emulator): make it answer success.
 */
public abstract class DestinationContractTest {

    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final int MIN_SECRET_LENGTH = 6;

    private final List<Destination> opened = new ArrayList<>();

    /** A new factory instance, as the host would create it. */
    protected abstract DestinationFactory factory();

    /**
     * Raw config values (as read from YAML) under which {@code create}, {@code start} and
     * {@code deliver} succeed against your test backend. Give every secret field a distinctive value
     * of at least 6 characters: the kit searches every message for it.
     */
    protected abstract Map<String, Object> validConfig();

    /** The mode to test in; default {@code stream} when supported, else the first supported mode. */
    protected String mode() {
        Set<String> modes = factory().supportedModes();
        return modes.contains(DestinationFactory.MODE_STREAM) ? DestinationFactory.MODE_STREAM
                : modes.stream().sorted().findFirst().orElseThrow();
    }

    /** Events your destination accepts (at least one); default: an identify and a custom event. */
    protected List<Event> sampleEvents() {
        return List.of(TestEvents.identify("contract@example.com"),
                TestEvents.track("contract_event", "contract@example.com", Map.of("value", 1L)));
    }

    /** Events that are malformed for your destination; default {@link TestEvents#malformed()}. */
    protected List<Event> malformedEvents() {
        return TestEvents.malformed();
    }

    /** The clock handed to the destination. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    /** Relative paths in the config resolve against this folder (default: the working directory). */
    protected Path baseDirectory() {
        return Path.of("").toAbsolutePath();
    }

    @AfterEach
    void closeWhatWasOpened() {
        for (Destination d : opened) {
            try {
                d.close();
            } catch (RuntimeException e) {
                // the idempotent-close rule reports this; here we only clean up
            }
        }
        opened.clear();
    }

    // ---- declaration -------------------------------------------------------------------------

    @Test
    void declaresAUsableType() {
        DestinationFactory factory = factory();
        String type = factory.type();
        check(type != null && TYPE_NAME.matcher(type).matches(),
                "type() must be a lower-case name ([a-z][a-z0-9_]*) to use as `type:` in config, not '" + type + "'");
        check(factory.displayName() != null && !factory.displayName().isBlank(), "displayName() must not be blank");
        Set<String> modes = factory.supportedModes();
        check(modes != null && !modes.isEmpty(), "supportedModes() must name at least one mode");
        for (String m : modes) {
            check(m.equals(DestinationFactory.MODE_STREAM) || m.equals(DestinationFactory.MODE_BATCH),
                    "supportedModes() may hold 'stream' and 'batch' only, not '" + m + "'");
        }
        List<ConfigField> fields = factory.configFields();
        check(fields != null, "configFields() must not return null");
        Set<String> names = new HashSet<>();
        for (ConfigField f : fields) {
            check(names.add(f.name()), "config field '" + f.name() + "' is declared twice");
            check(!f.description().isBlank(), "config field '" + f.name() + "' has no description(): the config"
                    + " reference and every 'is required' message show it");
        }
        factory.defaultTableNameTemplate().ifPresent(t -> check(!t.isBlank(),
                "defaultTableNameTemplate() is present but blank; return Optional.empty() to keep every event"));
    }

    @Test
    void isRegisteredAsAService() {
        Class<?> type = factory().getClass();
        boolean found = ServiceLoader.load(DestinationFactory.class, type.getClassLoader()).stream()
                .anyMatch(p -> p.type().equals(type));
        check(found, type.getName() + " is not listed in META-INF/services/" + DestinationFactory.class.getName()
                + "; annotate it with @AutoService(DestinationFactory.class) and put auto-service in the"
                + " compiler's annotationProcessorPaths. The host finds factories only through that entry");
        try {
            check(java.lang.reflect.Modifier.isPublic(type.getConstructor().getModifiers()),
                    type.getName() + " needs a public no-argument constructor");
        } catch (NoSuchMethodException e) {
            throw new AssertionError(type.getName() + " needs a public no-argument constructor: the host creates"
                    + " factories with it");
        }
    }

    // ---- validation ---------------------------------------------------------------------------

    @Test
    void acceptsTheValidConfig() {
        DestinationConfig config = validated();
        List<ConfigProblem> problems = factory().validate(config);
        check(problems != null && problems.isEmpty(), "validate() refused validConfig(): " + problems);
    }

    @Test
    void reportsEveryProblemAtOnceNamingEachField() {
        DestinationFactory factory = factory();
        Map<String, Object> raw = new LinkedHashMap<>(validConfig());
        Set<String> expected = new LinkedHashSet<>();
        for (ConfigField f : factory.configFields()) {
            if (f.required()) {
                raw.remove(f.name());
                expected.add(f.name());
            } else if (!f.secret() && wrongValueFor(f.type()) != null) {
                raw.put(f.name(), wrongValueFor(f.type()));
                expected.add(f.name());
            }
        }
        raw.put("contract_unknown_field", "x");
        expected.add("contract_unknown_field");
        try {
            DestinationConfig.validate(factory.configFields(), raw);
            throw new AssertionError("a config missing every required field, with wrongly typed values and an"
                    + " unknown field, was accepted; expected problems naming " + expected);
        } catch (InvalidConfigException e) {
            Set<String> named = new LinkedHashSet<>();
            e.problems().forEach(p -> named.add(p.field()));
            Set<String> missing = new LinkedHashSet<>(expected);
            missing.removeAll(named);
            check(missing.isEmpty(), "validation must report every problem at once, each naming its field; not"
                    + " named: " + missing + "; reported: " + e.problems());
        }
        for (ConfigProblem p : factory.validate(validated())) {
            check(p.field() != null && !p.field().isBlank(), "validate() returned a problem naming no field: " + p);
        }
    }

    @Test
    void refusesUnsupportedModesWithItsOwnMessage() {
        DestinationFactory factory = factory();
        List<String> unsupported = new ArrayList<>(List.of(DestinationFactory.MODE_STREAM, DestinationFactory.MODE_BATCH));
        unsupported.removeAll(factory.supportedModes());
        Assumptions.assumeFalse(unsupported.isEmpty(), "supports every mode; nothing to refuse");
        for (String m : unsupported) {
            String message = factory.unsupportedModeMessage(m);
            check(message != null && !message.isBlank() && message.contains(m),
                    "unsupportedModeMessage(\"" + m + "\") must say that mode " + m + " is not supported, not: " + message);
        }
    }

    // ---- secrets ------------------------------------------------------------------------------

    @Test
    void keepsSecretsOutOfEveryMessage() throws Exception {
        DestinationFactory factory = factory();
        Map<String, String> secrets = secretValues(factory);
        Assumptions.assumeFalse(secrets.isEmpty(), "no secret field has a value in validConfig()");
        List<String[]> places = new ArrayList<>();
        DestinationConfig config = validated();
        places.add(new String[] {"the factory's toString()", String.valueOf(factory)});
        places.add(new String[] {"DestinationConfig.toString()", String.valueOf(config)});
        factory.validate(config).forEach(p -> places.add(new String[] {"a validate() problem", p.toString()}));
        Map<String, Object> broken = new LinkedHashMap<>(validConfig());
        factory.configFields().stream().filter(f -> !f.secret() && wrongValueFor(f.type()) != null)
                .forEach(f -> broken.put(f.name(), wrongValueFor(f.type())));
        broken.put("contract_unknown_field", "x");
        try {
            DestinationConfig.validate(factory.configFields(), broken);
        } catch (InvalidConfigException e) {
            places.add(new String[] {"a validation message", e.getMessage()});
        }
        TestContext context = context(config);
        Destination destination = open(factory, context);
        places.add(new String[] {"the destination's toString()", String.valueOf(destination)});
        List<Event> events = new ArrayList<>(sampleEvents());
        events.addAll(malformedEvents());
        try {
            destination.start();
            for (Event e : events) {
                for (Outcome o : destination.deliver(List.of(e))) {
                    places.add(new String[] {"an outcome reason", String.valueOf(o)});
                }
            }
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                places.add(new String[] {"an exception thrown by start() or deliver()", t.toString()});
            }
        }
        destination.close();
        context.logger().lines().forEach(l -> places.add(new String[] {"a log line", l}));
        context.metrics().labels().forEach(l -> places.add(new String[] {"a metrics label", l}));
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            for (String[] place : places) {
                check(place[1] == null || !place[1].contains(secret.getValue()), "the value of secret field '"
                        + secret.getKey() + "' appears in " + place[0] + ": " + mask(place[1], secret.getValue())
                        + ". Keep Secret values out of messages: call reveal() only where the value is sent");
            }
        }
    }

    // ---- delivery -----------------------------------------------------------------------------

    @Test
    void deliversExactlyOneOutcomePerEvent() throws Exception {
        Destination destination = started();
        int max = destination.maxBatchSize();
        check(max >= 1, "maxBatchSize() must be at least 1, not " + max);
        List<Event> samples = sampleEvents();
        check(!samples.isEmpty(), "sampleEvents() must hold at least one event");
        for (Event e : samples) {
            outcomes(destination, List.of(e));
        }
        List<Event> full = new ArrayList<>();
        for (int i = 0; i < Math.min(max, 100); i++) {
            full.add(TestEvents.copyWithNewId(samples.get(i % samples.size())));
        }
        outcomes(destination, full);
    }

    @Test
    void rejectsAMalformedEventAloneWithoutThrowing() throws Exception {
        Destination destination = started();
        Event good = sampleEvents().get(0);
        Outcome alone = outcomes(destination, List.of(TestEvents.copyWithNewId(good))).get(0);
        for (Event bad : malformedEvents()) {
            List<Event> batch = List.of(TestEvents.copyWithNewId(good), bad, TestEvents.copyWithNewId(good));
            List<Outcome> result = outcomes(destination, batch.subList(0, Math.min(batch.size(), destination.maxBatchSize())));
            if (result.size() > 1) {
                check(!(result.get(1) instanceof Outcome.Retry), "the malformed event " + bad.fields() + " got "
                        + result.get(1) + "; retrying can never fix it: return Outcome.rejected(reason) (or skipped)");
            }
            check(result.get(0).getClass() == alone.getClass(), "a malformed event changed the outcome of a good"
                    + " event in the same batch: " + result.get(0) + " instead of " + alone
                    + "; one bad event must never fail the others");
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Destination neverStarted = factory().create(context(validated()));
        check(neverStarted != null, "create() returned null");
        closeTwice(neverStarted, "a destination that was never started");
        Destination used = factory().create(context(validated()));
        used.start();
        used.deliver(List.of(TestEvents.copyWithNewId(sampleEvents().get(0))));
        closeTwice(used, "a destination after deliver()");
    }

    // ---- helpers for subclasses ---------------------------------------------------------------

    /** The valid config, validated as the host does. */
    protected final DestinationConfig validated() {
        try {
            return DestinationConfig.validate(factory().configFields(), validConfig());
        } catch (InvalidConfigException e) {
            throw new AssertionError("validConfig() is not valid: " + e.getMessage(), e);
        }
    }

    /** A test context for this config (recording logger, {@link #clock()}, {@link #baseDirectory()}). */
    protected final TestContext context(DestinationConfig config) {
        return new TestContext("contract_test", mode(), config, clock(), baseDirectory());
    }

    private Destination open(DestinationFactory factory, TestContext context) {
        Destination d = factory.create(context);
        check(d != null, "create() returned null");
        opened.add(d);
        return d;
    }

    private Destination started() throws Exception {
        Destination d = open(factory(), context(validated()));
        try {
            d.start();
        } catch (DestinationException e) {
            throw new AssertionError("start() failed with validConfig(): " + e.getMessage()
                    + " (point validConfig() at a test backend that answers success)", e);
        }
        return d;
    }

    private static List<Outcome> outcomes(Destination d, List<Event> events) throws Exception {
        List<Outcome> result;
        try {
            result = d.deliver(List.copyOf(events));
        } catch (Exception | LinkageError e) {
            throw new AssertionError("deliver() threw for " + events.size() + " event(s) instead of returning one"
                    + " outcome per event (a malformed event is rejected alone): " + e, e);
        }
        check(result != null, "deliver() returned null for " + events.size() + " event(s)");
        check(result.size() == events.size(), "deliver() returned " + result.size() + " outcome(s) for "
                + events.size() + " event(s); it must return exactly one per event, in order");
        for (int i = 0; i < result.size(); i++) {
            check(result.get(i) != null, "deliver() returned a null outcome for event " + i);
        }
        return result;
    }

    private static void closeTwice(Destination d, String which) {
        try {
            d.close();
        } catch (RuntimeException e) {
            throw new AssertionError("close() threw for " + which + ": " + e, e);
        }
        try {
            d.close();
        } catch (RuntimeException e) {
            throw new AssertionError("a second close() threw for " + which + "; close must be idempotent: " + e, e);
        }
    }

    private Map<String, String> secretValues(DestinationFactory factory) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (ConfigField f : factory.configFields()) {
            Object value = validConfig().get(f.name());
            if (f.secret() && value != null) {
                String text = String.valueOf(value);
                check(text.length() >= MIN_SECRET_LENGTH, "give secret field '" + f.name()
                        + "' a distinctive value of at least " + MIN_SECRET_LENGTH + " characters in validConfig(),"
                        + " so the kit can search messages for it");
                secrets.put(f.name(), text);
            }
        }
        return secrets;
    }

    private static Object wrongValueFor(FieldType type) {
        return switch (type) {
            case INTEGER, NUMBER -> "not-a-number";
            case BOOLEAN -> "not-a-boolean";
            case DURATION -> "not-a-duration";
            case MAP -> List.of("not", "a", "map");
            default -> null;
        };
    }

    private static String mask(String text, String secret) {
        String shown = text.replace(secret, "<SECRET>");
        return shown.length() > 300 ? shown.substring(0, 300) + "..." : shown;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(Objects.requireNonNull(message));
        }
    }
}
