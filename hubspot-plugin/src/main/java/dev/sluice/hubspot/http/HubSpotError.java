package dev.sluice.hubspot.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HubSpot's error body: {@code {status, message, category, subCategory, correlationId, context,
 * errors[]}}, plus {@code errorType} and {@code policyName} of a 429. Fields HubSpot left out are
 * empty strings, empty maps and lists.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HubSpotError(
        String status,
        String message,
        String category,
        String subCategory,
        String correlationId,
        Map<String, List<String>> context,
        List<Detail> errors,
        String errorType,
        String policyName) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, true);

    public HubSpotError {
        status = orEmpty(status);
        message = orEmpty(message);
        category = orEmpty(category);
        subCategory = orEmpty(subCategory);
        correlationId = orEmpty(correlationId);
        context = context == null ? Map.of() : Map.copyOf(context);
        errors = errors == null ? List.of() : List.copyOf(errors);
        errorType = orEmpty(errorType);
        policyName = orEmpty(policyName);
    }

    /** One item of {@code errors[]}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Detail(String message, String code, String subCategory, String in,
                         Map<String, List<String>> context) {
        public Detail {
            message = orEmpty(message);
            code = orEmpty(code);
            subCategory = orEmpty(subCategory);
            in = orEmpty(in);
            context = context == null ? Map.of() : Map.copyOf(context);
        }
    }

    /** Parses an error body; empty when the body is empty or not a JSON object. */
    public static Optional<HubSpotError> parse(String body) {
        if (body == null || body.isBlank() || !body.trim().startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(body, HubSpotError.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** {@link #parse} of the response's body. */
    public static Optional<HubSpotError> of(HubSpotResponse response) {
        return parse(response.body());
    }

    /** The values under {@code key} in {@code context} and in every {@code errors[].context}. */
    public List<String> contextValues(String key) {
        java.util.LinkedHashSet<String> values = new java.util.LinkedHashSet<>(context.getOrDefault(key, List.of()));
        for (Detail d : errors) {
            values.addAll(d.context().getOrDefault(key, List.of()));
        }
        return List.copyOf(values);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
