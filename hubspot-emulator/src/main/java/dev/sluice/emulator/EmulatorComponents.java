package dev.sluice.emulator;

import java.time.Clock;

/** The emulator's state and handlers, wired once by {@link HubSpotEmulator}. */
record EmulatorComponents(long hubId, Clock clock, EmulatorSettings settings, PropertyCatalog catalog,
                          ContactStore contacts, EventDefinitionRegistry definitions, EventLog events,
                          RequestJournal journal, TrafficStats stats, RateLimiter limiter, FaultInjector faults,
                          ContactUpsertHandler upserts, LegacyContactHandler legacyContacts,
                          PropertyListHandler propertyList, EventDefinitionHandler definitionHandler,
                          EventSendHandler eventSends, PixelHandler pixel) {

    static EmulatorComponents wire(long hubId, Clock clock, EmulatorSettings settings, PropertyCatalog catalog,
                                   EventDefinitionRegistry definitions, int journalCapacity) {
        ContactStore contacts = new ContactStore();
        EventLog events = new EventLog();
        PropertyValueRules rules = new PropertyValueRules(catalog);
        return new EmulatorComponents(hubId, clock, settings, catalog, contacts, definitions, events,
                new RequestJournal(journalCapacity), new TrafficStats(), new RateLimiter(clock, settings),
                new FaultInjector(clock),
                new ContactUpsertHandler(contacts, rules, settings, clock),
                new LegacyContactHandler(contacts, rules, clock),
                new PropertyListHandler(catalog),
                new EventDefinitionHandler(definitions),
                new EventSendHandler(hubId, definitions, events, settings, clock),
                new PixelHandler(events, clock));
    }

    /** Forgets contacts, events, recorded requests, stats, rate-limit usage and faults; keeps the settings. */
    void reset() {
        contacts.clear();
        events.clear();
        journal.clear();
        stats.clear();
        limiter.reset();
        faults.clear();
        definitions.resetToInitial();
    }
}
