package dev.sluice.hubspot.delivery;

import dev.sluice.api.Event;
import dev.sluice.api.Outcome;

import java.util.List;

/** Sends one group of events (identifies, or other events) to HubSpot and accounts for each. */
public interface EventBatchSender {

    /**
     * Sends the events and returns exactly one outcome per event, in input order. HubSpot's answers
     * and I/O failures become outcomes; nothing is thrown for them.
     *
     * @throws InterruptedException when the delivery thread is interrupted while waiting to send
     */
    List<Outcome> send(List<Event> events) throws InterruptedException;
}
