package dev.sluice.hubspot;

import dev.sluice.api.Destination;
import dev.sluice.api.DestinationContext;
import dev.sluice.hubspot.catalog.ContactPropertyMapper;
import dev.sluice.hubspot.catalog.EventDefinitionCatalog;
import dev.sluice.hubspot.catalog.EventDefinitions;
import dev.sluice.hubspot.catalog.PropertyCatalog;
import dev.sluice.hubspot.contacts.ContactUpserter;
import dev.sluice.hubspot.contacts.LegacyContactWriter;
import dev.sluice.hubspot.delivery.EventBatchSender;
import dev.sluice.hubspot.delivery.ParallelCalls;
import dev.sluice.hubspot.http.FailureClassifier;
import dev.sluice.hubspot.events.BehavioralEventSender;
import dev.sluice.hubspot.events.LegacyEventPixel;
import dev.sluice.hubspot.http.HubSpotTransport;
import dev.sluice.hubspot.http.OkHttpHubSpotTransport;
import dev.sluice.hubspot.http.ResponseClassifier;
import dev.sluice.hubspot.http.RetrySchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a HubSpot destination from its settings: the transport, the catalogs and the adapters.
 * The factory calls {@link #assemble(DestinationContext, HubSpotSettings)}; tools that bring their
 * own transport (the API-call benchmark) call {@link #assemble(DestinationContext, HubSpotSettings, HubSpotTransport)}.
 */
public final class HubSpotDestinationAssembler {

    /** Batch calls each parallel call makes per delivery (modern API). */
    public static final int CALLS_PER_PARALLEL_CALL = 2;

    private HubSpotDestinationAssembler() {
    }

    /**
     * The real parts: the OkHttp transport (shared rate limiter per credential), the property catalog
     * and event definitions read through it, and the HTTP layer's response classifier.
     */
    static Destination assemble(DestinationContext context, HubSpotSettings settings) {
        return assemble(context, settings, OkHttpHubSpotTransport.create(settings, context));
    }

    /** The real catalogs, classifier and adapters around the given transport. */
    public static HubSpotDestination assemble(DestinationContext context, HubSpotSettings settings,
                                              HubSpotTransport transport) {
        PropertyCatalog properties = new PropertyCatalog(transport, settings.apiVersion(), settings.catalogRefresh(),
                context.clock(), context.logger(), context.metrics());
        EventDefinitions definitions = new EventDefinitions(transport, settings.apiVersion(), settings.catalogRefresh(),
                context.clock(), context.logger());
        ResponseClassifier classifier = new ResponseClassifier(new RetrySchedule(context.clock()), context.logger(),
                context.destinationId());
        return assemble(context, settings, transport, properties, definitions, classifier);
    }

    /** Wires the adapters for the settings' API version around the given parts. */
    static HubSpotDestination assemble(DestinationContext context, HubSpotSettings settings, HubSpotTransport transport,
                                       ContactPropertyMapper properties, EventDefinitionCatalog definitions,
                                       FailureClassifier classifier) {
        List<HubSpotDestination.StartStep> startSteps = new ArrayList<>();
        startSteps.add(properties::load);
        EventBatchSender identifies;
        EventBatchSender others;
        ParallelCalls calls = ParallelCalls.sequential();
        if (settings.apiVersion() == ApiVersion.LEGACY) {
            identifies = new LegacyContactWriter(transport, properties, classifier);
            others = new LegacyEventPixel(transport, settings.hubId(), properties, classifier);
        } else {
            startSteps.add(definitions::load);
            calls = new ParallelCalls(settings.parallelCalls(), "sluice-hubspot-" + context.destinationId());
            identifies = new ContactUpserter(transport, settings.apiVersion(), properties, classifier,
                    settings.batchSize(), calls);
            others = BehavioralEventSender.create(transport, settings.apiVersion(), settings.hubId(),
                    settings.eventNames(), properties, definitions, classifier, context.clock(), settings.batchSize(),
                    calls);
        }
        // Legacy calls carry one event each: the batch stays one call's worth per parallel call.
        // Modern: each parallel call makes CALLS_PER_PARALLEL_CALL calls per delivery, so the host's work
        // between two deliveries (read, settle) and the slowest call's tail are paid once per 16 calls,
        // not once per 8, and the limiter's evenly spaced slots stay used.
        int maxBatchSize = settings.apiVersion() == ApiVersion.LEGACY
                ? settings.batchSize() : settings.batchSize() * settings.parallelCalls() * CALLS_PER_PARALLEL_CALL;
        return new HubSpotDestination(maxBatchSize, transport, startSteps, identifies, others, calls);
    }
}
