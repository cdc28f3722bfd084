package dev.sluice.host.metrics;

import io.undertow.server.HttpHandler;

import java.util.Objects;

/** Wraps the server's root handler so that every answered request is counted by route and status. */
public final class RequestCounting {

    private RequestCounting() {
    }

    public static HttpHandler wrap(HttpHandler next, HostMetrics metrics) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(metrics, "metrics");
        return exchange -> {
            String route = route(exchange.getRequestPath());
            exchange.addExchangeCompleteListener((done, proceed) -> {
                metrics.request(route, done.getStatusCode());
                proceed.proceed();
            });
            next.handleRequest(exchange);
        };
    }

    /** A bounded label for a request path: client, s2s, health, stats, metrics, script (the browser client) or other. */
    static String route(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return switch (p) {
            case "/api/v1/event", "/api/v1/events" -> "client";
            case "/api/v1/s2s/event", "/api/v1/s2s/events" -> "s2s";
            case "/health" -> "health";
            case "/api/v1/stats" -> "stats";
            case "/metrics" -> "metrics";
            default -> p.startsWith("/s/") || p.startsWith("/t/") ? "script" : "other";
        };
    }
}
