package dev.sluice.host.ingest;

/** The two kinds of Events API route and the kind of token each accepts. */
enum IngestRoute {
    /** {@code /api/v1/event(s)}: the browser SDK, client secrets, CORS. */
    CLIENT,
    /** {@code /api/v1/s2s/event(s)}: server-to-server, server secrets. */
    S2S;

    /** The route for a request path, or null when it is none of the Events API paths. */
    static IngestRoute of(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return switch (p) {
            case "/api/v1/event", "/api/v1/events" -> CLIENT;
            case "/api/v1/s2s/event", "/api/v1/s2s/events" -> S2S;
            default -> null;
        };
    }
}
