package dev.sluice.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@link HubSpotEmulatorMain}.
 *
 * @param port             listen port
 * @param bind             listen address
 * @param hubId            portal id used in event names {@code pe{hubId}_...}
 * @param propertiesFile   replacement property catalog, or null
 * @param eventsFile       replacement event definitions, or null
 * @param rateLimit        requests per token per rolling 10 s
 * @param dailyLimit       requests per day
 * @param tokens           accepted tokens (empty: any)
 * @param multiStatus      answer 207 for partially bad batches
 * @param journalSize      recorded requests kept for inspection
 * @param help             print usage and exit
 */
record EmulatorOptions(int port, String bind, long hubId, Path propertiesFile, Path eventsFile, int rateLimit,
                       long dailyLimit, List<String> tokens, boolean multiStatus, int journalSize, boolean help) {
    static final int DEFAULT_PORT = 8090;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar hubspot-emulator-all.jar [options]",
            "  --port N             listen port (default " + DEFAULT_PORT + ")",
            "  --bind ADDRESS       listen address (default 127.0.0.1; the admin API has no auth)",
            "  --hub-id N           portal id for event names pe{hubId}_... (default " + HubSpotEmulator.DEFAULT_HUB_ID
                    + ")",
            "  --properties FILE    replace the contact property catalog (JSON)",
            "  --event-definitions FILE  replace the custom event definitions (JSON)",
            "  --rate-limit N       requests per token per rolling 10 s (default "
                    + EmulatorSettings.DEFAULT_RATE_LIMIT + ")",
            "  --daily-limit N      requests per day (default " + EmulatorSettings.DEFAULT_DAILY_LIMIT + ")",
            "  --tokens a,b         accept only these bearer tokens (default: any non-blank token)",
            "  --journal-size N     recorded requests kept for /_emulator/requests (default 1000)",
            "  --multi-status       answer 207 for batches with some bad inputs (default: 400 for the batch)",
            "  --help               print this help");

    static EmulatorOptions parse(String... args) {
        int port = DEFAULT_PORT;
        String bind = HubSpotEmulator.DEFAULT_BIND;
        long hubId = HubSpotEmulator.DEFAULT_HUB_ID;
        Path properties = null;
        Path events = null;
        int rateLimit = EmulatorSettings.DEFAULT_RATE_LIMIT;
        long dailyLimit = EmulatorSettings.DEFAULT_DAILY_LIMIT;
        List<String> tokens = List.of();
        boolean multiStatus = false;
        int journalSize = 1000;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=");
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--multi-status" -> multiStatus = true;
                case "--port", "--bind", "--hub-id", "--properties", "--event-definitions", "--rate-limit",
                     "--daily-limit", "--tokens", "--journal-size" -> {
                    String value;
                    if (inline) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--port" -> port = intValue(name, value, 0, 65535);
                        case "--bind" -> bind = value;
                        case "--hub-id" -> hubId = longValue(name, value);
                        case "--properties" -> properties = existingFile(name, value);
                        case "--event-definitions" -> events = existingFile(name, value);
                        case "--rate-limit" -> rateLimit = intValue(name, value, 1, Integer.MAX_VALUE);
                        case "--daily-limit" -> dailyLimit = longValue(name, value);
                        case "--journal-size" -> journalSize = intValue(name, value, 1, 1_000_000);
                        default -> tokens = Arrays.stream(value.split(",")).map(String::trim)
                                .filter(t -> !t.isEmpty()).toList();
                    }
                }
                default -> throw new IllegalArgumentException("Unknown option " + arg);
            }
        }
        return new EmulatorOptions(port, bind, hubId, properties, events, rateLimit, dailyLimit, tokens, multiStatus,
                journalSize, help);
    }

    private static int intValue(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + value + "\"");
        }
    }

    private static long longValue(String name, String value) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 1) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + value + "\"");
        }
    }

    private static Path existingFile(String name, String value) {
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(name + ": file not found: " + value);
        }
        return path;
    }

    HubSpotEmulator.Builder toBuilder() {
        HubSpotEmulator.Builder builder = HubSpotEmulator.builder()
                .port(port).bind(bind).hubId(hubId).rateLimit(rateLimit).dailyLimit(dailyLimit).acceptedTokens(tokens)
                .journalCapacity(journalSize);
        if (propertiesFile != null) {
            builder.catalog(PropertyCatalog.fromFile(propertiesFile));
        }
        if (eventsFile != null) {
            builder.eventDefinitions(eventsFile);
        }
        return builder;
    }
}
