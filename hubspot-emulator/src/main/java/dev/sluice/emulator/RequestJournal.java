package dev.sluice.emulator;

import java.util.ArrayDeque;
import java.util.List;

/** The last N recorded requests, oldest first. Thread-safe. */
final class RequestJournal {
    private final int capacity;
    private final ArrayDeque<RecordedRequest> requests;

    RequestJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("request journal capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.requests = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    synchronized void add(RecordedRequest request) {
        if (requests.size() == capacity) {
            requests.pollFirst();
        }
        requests.addLast(request);
    }

    synchronized List<RecordedRequest> all() {
        return List.copyOf(requests);
    }

    synchronized void clear() {
        requests.clear();
    }
}
