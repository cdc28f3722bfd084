package dev.sluice.hubspot.delivery;

import dev.sluice.hubspot.http.HubSpotResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchErrorBodyTest {

    @Test
    void findsUnknownPropertiesInTheArrayEmbeddedInTheMessage() {
        String body = "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Property values were not valid: "
                + "[{\\\"isValid\\\":false,\\\"message\\\":\\\"Property \\\\\\\"foo\\\\\\\" does not exist\\\",\\\"error\\\":"
                + "\\\"PROPERTY_DOESNT_EXIST\\\",\\\"name\\\":\\\"foo\\\"},{\\\"isValid\\\":false,\\\"error\\\":\\\"INVALID_EMAIL\\\","
                + "\\\"name\\\":\\\"email\\\"},{\\\"error\\\":\\\"PROPERTY_DOESNT_EXIST\\\",\\\"name\\\":\\\"bar\\\"}]\"}";
        assertThat(BatchErrorBody.unknownProperties(BatchErrorBody.parse(body).orElseThrow())).containsExactly("foo", "bar");
    }

    @Test
    void readsA207sErrorsWithTheirTraceIds() {
        String body = """
                {"status":"COMPLETE","results":[],"errors":[
                  {"status":"error","category":"INVALID_EMAIL","message":"bad","context":{"objectWriteTraceId":["t1"]}},
                  {"status":"409","category":"CONFLICT","message":"exists","context":{"ids":["a@example.com"]}}]}
                """;
        List<BatchErrorBody.ItemError> errors = BatchErrorBody.itemErrors(BatchErrorBody.parse(body).orElseThrow());
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).traceIds()).containsExactly("t1");
        assertThat(errors.get(0).status()).isEmpty();
        assertThat(errors.get(1).status()).contains(409);
        assertThat(errors.get(1).ids()).containsExactly("a@example.com");
    }

    @Test
    void messageNamesStatusAndCategoryAndFallsBackToTheStatus() {
        assertThat(BatchErrorBody.message(new HubSpotResponse(400, Map.of(),
                "{\"message\":\"Invalid input\",\"category\":\"VALIDATION_ERROR\"}")))
                .isEqualTo("HubSpot 400 VALIDATION_ERROR: Invalid input");
        assertThat(BatchErrorBody.message(new HubSpotResponse(502, Map.of(), "<html>Bad gateway</html>")))
                .isEqualTo("HubSpot 502: HTTP 502");
        assertThat(BatchErrorBody.message(new HubSpotResponse(400, Map.of(), "{\"message\":\"" + "x".repeat(5000) + "\"}")))
                .hasSize(1003);
    }
}
