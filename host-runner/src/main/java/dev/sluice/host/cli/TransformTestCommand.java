package dev.sluice.host.cli;

import dev.sluice.host.config.ApiKey;
import dev.sluice.host.config.InvalidHostConfigException;
import dev.sluice.host.config.ValidatedDestination;
import dev.sluice.host.config.ValidatedHost;
import dev.sluice.host.ingest.DryRunner;
import dev.sluice.host.ingest.EventEnricher;
import dev.sluice.host.routing.DestinationRoute;
import dev.sluice.host.routing.InvalidRoutesException;
import dev.sluice.host.routing.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sluice transform test --config FILE --destination ID < events.json}: the dry-run route,
 * offline. Reads the Events API's bodies from standard input and prints, per event, what the
 * destination's transform and template make of it. Nothing is stored or sent.
 */
final class TransformTestCommand {

    static final String TEST = "test";

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final HostPreparation preparation;

    TransformTestCommand(PrintStream out, PrintStream err, InputStream in, HostPreparation preparation) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.in = Objects.requireNonNull(in, "in");
        this.preparation = Objects.requireNonNull(preparation, "preparation");
    }

    int run(Path configFile, Optional<Path> plugins, String destinationId)
            throws InvalidHostConfigException, UsageException, IOException {
        HostPreparation.Prepared prepared = preparation.prepare(configFile, plugins);
        ValidatedHost host = prepared.host();
        try (var loaded = host.plugins()) {
            ValidatedDestination destination = host.destinations().stream()
                    .filter(d -> d.id().equals(destinationId)).findFirst()
                    .orElseThrow(() -> new UsageException("no destination '" + destinationId + "' in " + configFile
                            + "; configured: " + host.destinations().stream().map(ValidatedDestination::id).toList()));
            DestinationRoute route = new DestinationRoute(destination.id(), destination.spec().onlyTokens(),
                    destination.tableNameTemplate(), destination.spec().transform());
            // Events are taken as sent with an api key the destination accepts.
            String apiKeyId = destination.spec().onlyTokens().stream().findFirst()
                    .or(() -> host.config().apiKeys().stream().map(ApiKey::id).findFirst())
                    .orElse("transform-test");
            try (Router router = Router.create(List.of(route))) {
                DryRunner runner = new DryRunner(host.config().server().maxEventSize(), EventEnricher.standard(), router);
                byte[] body = in.readAllBytes();
                String storedKeyId = host.config().apiKeys().stream().filter(k -> k.id().equals(apiKeyId))
                        .map(ApiKey::storedId).findFirst().orElse(apiKeyId);
                out.write(runner.run(body, destinationId, apiKeyId, storedKeyId, "127.0.0.1"));
                out.println();
                return SluiceMain.OK;
            } catch (InvalidRoutesException e) {
                e.problems().forEach(p -> err.println(configFile + ": " + p));
                return SluiceMain.BAD_CONFIG_OR_USAGE;
            } catch (DryRunner.Refused e) {
                err.println("sluice: the events on standard input are refused: " + e.getMessage());
                return SluiceMain.BAD_CONFIG_OR_USAGE;
            }
        }
    }
}
