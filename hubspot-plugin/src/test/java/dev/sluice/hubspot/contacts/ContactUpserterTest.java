package dev.sluice.hubspot.contacts;

import dev.sluice.hubspot.delivery.ParallelCalls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Event;
import dev.sluice.api.Outcome;
import dev.sluice.hubspot.ApiVersion;
import dev.sluice.hubspot.delivery.testing.Classifiers;
import dev.sluice.hubspot.delivery.testing.FakePropertyMapper;
import dev.sluice.hubspot.delivery.testing.MockHubSpot;
import dev.sluice.hubspot.delivery.testing.TestEvents;
import dev.sluice.hubspot.delivery.testing.TestTransport;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import java.util.function.Function;

import static dev.sluice.hubspot.delivery.testing.Answers.body;
import static dev.sluice.hubspot.delivery.testing.Answers.inputIds;
import static dev.sluice.hubspot.delivery.testing.Answers.json;
import static dev.sluice.hubspot.delivery.testing.Answers.tree;
import static dev.sluice.hubspot.delivery.testing.Answers.upsertCompleted;
import static dev.sluice.hubspot.delivery.testing.Answers.validationError;
import static org.assertj.core.api.Assertions.assertThat;

class ContactUpserterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TOKEN = "pat-na1-test-token";

    private MockWebServer server;
    private TestTransport transport;
    private FakePropertyMapper mapper;

    @BeforeEach
    void start() {
        server = MockHubSpot.start();
        transport = new TestTransport(server.url("/"), TOKEN);
        mapper = FakePropertyMapper.standard();
    }

    @AfterEach
    void stop() {
        transport.close();
        server.close();
    }

    private ContactUpserter upserter(ApiVersion version) {
        return new ContactUpserter(transport, version, mapper,
                Classifiers.real(Clock.fixed(NOW, ZoneOffset.UTC)), 100);
    }

    private void answer(Function<RecordedRequest, MockResponse> answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
    }

    @Test
    void sendsOneBatchUpsertByEmailWithExactPathHeadersAndBody() throws Exception {
        answer(r -> upsertCompleted(r));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", Map.of("email", " John@Example.COM ", "firstName", "John", "shoe size", 42)),
                TestEvents.identify("ev-2", "jane@example.com", "Jane")));

        assertThat(outcomes).containsExactly(Outcome.delivered(), Outcome.delivered());
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSize(1);
        RecordedRequest request = requests.get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/crm/objects/2026-03/contacts/batch/upsert");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(body(request)).isEqualTo(tree("""
                {"inputs":[
                  {"id":"john@example.com","idProperty":"email","objectWriteTraceId":"ev-1",
                   "properties":{"email":"john@example.com","firstname":"John"}},
                  {"id":"jane@example.com","idProperty":"email","objectWriteTraceId":"ev-2",
                   "properties":{"email":"jane@example.com","firstname":"Jane"}}]}
                """));
    }

    @Test
    void v3UsesTheNumberedPath() throws Exception {
        answer(r -> upsertCompleted(r));
        upserter(ApiVersion.V3).send(List.of(TestEvents.identify("ev-1", "a@example.com", null)));
        assertThat(MockHubSpot.taken(server).get(0).getUrl().encodedPath())
                .isEqualTo("/crm/v3/objects/contacts/batch/upsert");
    }

    @Test
    void readsTheNestedCompatShapeToo() throws Exception {
        answer(r -> upsertCompleted(r));
        Event nested = Event.of("ev-n", Map.of("event_type", "user_identify",
                "eventn_ctx", Map.of("event_id", "ev-n", "user", Map.of("email", "nested@example.com", "lastname", "Doe"))));
        assertThat(upserter(ApiVersion.V2026_03).send(List.of(nested))).containsExactly(Outcome.delivered());
        JsonNode input = body(MockHubSpot.taken(server).get(0)).path("inputs").get(0);
        assertThat(input.path("id").asText()).isEqualTo("nested@example.com");
        assertThat(input.path("properties")).isEqualTo(tree("{\"email\":\"nested@example.com\",\"lastname\":\"Doe\"}"));
    }

    @Test
    void splits250IdentifiesInto100And100And50() throws Exception {
        answer(r -> upsertCompleted(r));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(TestEvents.identify("ev-" + i, "user" + i + "@example.com", null));
        }
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(events);

        assertThat(outcomes).hasSize(250).allMatch(o -> o.equals(Outcome.delivered()));
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).extracting(r -> inputIds(r).size()).containsExactly(100, 100, 50);
        assertThat(inputIds(requests.get(2)).get(49)).isEqualTo("user249@example.com");
    }

    @Test
    void withParallelCallsSendsTheChunksAtOnceAndKeepsEveryOutcomeInItsPlace() throws Exception {
        CountDownLatch fourInFlight = new CountDownLatch(4);
        String bad = "poison@example.com";
        answer(r -> {
            fourInFlight.countDown();
            try {
                // Answered only once four calls are in flight together (bounded wait).
                assertThat(fourInFlight.await(5, TimeUnit.SECONDS)).as("four calls in flight").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inputIds(r).contains(bad) ? validationError("Property values were not valid: bad email")
                    : upsertCompleted(r);
        });
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            events.add(TestEvents.identify("ev-" + i, i == 250 ? bad : "user" + i + "@example.com", null));
        }

        List<Outcome> outcomes;
        try (ParallelCalls calls = new ParallelCalls(4, "test-upsert")) {
            outcomes = new ContactUpserter(transport, ApiVersion.V2026_03, mapper,
                    Classifiers.real(Clock.fixed(NOW, ZoneOffset.UTC)), 100, calls).send(events);
        }

        assertThat(outcomes).hasSize(400);
        assertThat(outcomes.get(250)).isInstanceOf(Outcome.Rejected.class);
        List<Outcome> others = new ArrayList<>(outcomes);
        others.remove(250);
        assertThat(others).allMatch(o -> o.equals(Outcome.delivered()));
        assertThat(MockHubSpot.taken(server).stream().filter(r -> inputIds(r).size() == 100)).hasSize(4);
    }

    @Test
    void mergesDuplicateEmailsInEventOrderLaterValuesWinning() throws Exception {
        answer(r -> upsertCompleted(r));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", Map.of("email", "john@example.com", "firstname", "Johnny", "city", "Oslo")),
                TestEvents.identify("ev-2", "other@example.com", "Other"),
                TestEvents.identify("ev-3", Map.of("email", "JOHN@example.com", "firstname", "John", "phone", "123"))));

        assertThat(outcomes).containsExactly(Outcome.delivered(), Outcome.delivered(), Outcome.delivered());
        JsonNode inputs = body(MockHubSpot.taken(server).get(0)).path("inputs");
        assertThat(inputs).hasSize(2);
        assertThat(inputs.get(0)).isEqualTo(tree("""
                {"id":"john@example.com","idProperty":"email","objectWriteTraceId":"ev-1",
                 "properties":{"email":"john@example.com","firstname":"John","city":"Oslo","phone":"123"}}
                """));
        assertThat(inputs.get(1).path("objectWriteTraceId").asText()).isEqualTo("ev-2");
    }

    @Test
    void everyMergedEventGetsTheOutcomeOfItsInput() throws Exception {
        answer(r -> json(207, """
                {"status":"COMPLETE","results":[],"numErrors":1,"errors":[
                  {"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: bad phone",
                   "context":{"objectWriteTraceId":["ev-1"]},"errors":[],"links":{}}],
                 "startedAt":"2026-01-20T21:14:16.000Z","completedAt":"2026-01-20T21:14:16.512Z"}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "john@example.com", "A"),
                TestEvents.identify("ev-2", "jane@example.com", "B"),
                TestEvents.identify("ev-3", "john@example.com", "C")));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) outcomes.get(0)).reason()).contains("VALIDATION_ERROR").contains("bad phone");
        assertThat(outcomes.get(1)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(2)).isEqualTo(outcomes.get(0));
    }

    @Test
    void attributesA207ErrorToItsInputByTraceId() throws Exception {
        answer(r -> json(207, """
                {"status":"COMPLETE","numErrors":2,
                 "results":[{"id":"1","new":false,"objectWriteTraceId":"ev-1","properties":{}}],
                 "errors":[
                  {"status":"error","category":"INVALID_EMAIL","message":"Email address b@example.com is invalid",
                   "context":{"objectWriteTraceId":["ev-2"]}},
                  {"status":"error","category":"CONFLICT","message":"Contact already exists. Existing ID: 77",
                   "context":{"objectWriteTraceId":["ev-4"]}}],
                 "startedAt":"2026-01-20T21:14:16.000Z","completedAt":"2026-01-20T21:14:16.512Z"}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null),
                TestEvents.identify("ev-2", "b@example.com", null),
                TestEvents.identify("ev-3", "c@example.com", null),
                TestEvents.identify("ev-4", "d@example.com", null)));

        assertThat(outcomes.get(0)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(1)).isEqualTo(Outcome.rejected("HubSpot INVALID_EMAIL: Email address b@example.com is invalid"));
        assertThat(outcomes.get(2)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(3)).isEqualTo(Outcome.rejected("HubSpot CONFLICT: Contact already exists. Existing ID: 77"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void narrowsAPoisonedBatchDownToTheOneBadContact() throws Exception {
        String bad = "poison37@example.com";
        String message = "Property values were not valid: [{\"isValid\":false,\"message\":\"Email address "
                + bad + " is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]";
        answer(r -> inputIds(r).contains(bad) ? validationError(message) : upsertCompleted(r));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(TestEvents.identify("ev-" + i, i == 37 ? bad : "user" + i + "@example.com", null));
        }

        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(events);

        assertThat(outcomes.get(37)).isEqualTo(Outcome.rejected("HubSpot 400 VALIDATION_ERROR: " + message));
        List<Outcome> others = new ArrayList<>(outcomes);
        others.remove(37);
        assertThat(others).hasSize(99).allMatch(o -> o.equals(Outcome.delivered()));
        // 1 full batch, then halves (depth first): 50+50, 25+25, 12+13, 6+7, 3+3, and the bad 3 one by one.
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSize(14);
        assertThat(requests).extracting(r -> inputIds(r).size())
                .containsExactly(100, 50, 25, 25, 12, 13, 6, 3, 1, 1, 1, 3, 7, 50);
        assertThat(requests.stream().filter(r -> inputIds(r).size() == 1 && inputIds(r).contains(bad)).count())
                .isEqualTo(1);
    }

    @Test
    void anEmpty200ForANonEmptyRequestIsRetriedNotDelivered() throws Exception {
        answer(r -> json(200, "{\"status\":\"COMPLETE\",\"results\":[],\"startedAt\":\"2026-01-20T21:14:16.000Z\","
                + "\"completedAt\":\"2026-01-20T21:14:16.512Z\"}"));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null), TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Outcome.Retry.class);
            assertThat(((Outcome.Retry) o).reason()).contains("ignored");
        });
    }

    @Test
    void a409OnOneContactRejectsIt() throws Exception {
        answer(r -> json(409, "{\"status\":\"error\",\"message\":\"Contact already exists. Existing ID: 501\","
                + "\"category\":\"CONFLICT\",\"correlationId\":\"c\"}"));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(TestEvents.identify("ev-1", "a@example.com", null)));

        assertThat(outcomes).containsExactly(
                Outcome.rejected("HubSpot 409 CONFLICT: Contact already exists. Existing ID: 501"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a409OnSeveralContactsIsNarrowedToTheConflictingOne() throws Exception {
        answer(r -> inputIds(r).contains("b@example.com")
                ? json(409, "{\"status\":\"error\",\"message\":\"Contact already exists. Existing ID: 501\",\"category\":\"CONFLICT\"}")
                : upsertCompleted(r));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null), TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes.get(0)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Rejected.class);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void anUnknownPropertyInvalidatesTheCatalogAndIsLeftOutOfTheResend() throws Exception {
        String message = "Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"plan\\\" does not exist\","
                + "\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"plan\"}]";
        answer(r -> body(r).path("inputs").get(0).path("properties").has("plan") ? validationError(message) : upsertCompleted(r));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", Map.of("email", "a@example.com", "plan", "pro", "firstname", "A")),
                TestEvents.identify("ev-2", Map.of("email", "b@example.com", "plan", "free"))));

        assertThat(outcomes).containsExactly(Outcome.delivered(), Outcome.delivered());
        assertThat(mapper.invalidations()).isEqualTo(1);
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSize(2);
        assertThat(body(requests.get(1)).path("inputs").get(0).path("properties"))
                .isEqualTo(tree("{\"email\":\"a@example.com\",\"firstname\":\"A\"}"));
        assertThat(inputIds(requests.get(1))).containsExactly("a@example.com", "b@example.com");
    }

    @Test
    void anUnknownPropertyIn207ResendsOnlyThatInputWithoutIt() throws Exception {
        answer(r -> inputIds(r).size() == 2
                ? json(207, """
                    {"status":"COMPLETE","results":[{"id":"1","objectWriteTraceId":"ev-1","properties":{}}],"errors":[
                      {"status":"error","category":"VALIDATION_ERROR",
                       "message":"Property values were not valid: [{\\"isValid\\":false,\\"message\\":\\"Property \\\\\\"plan\\\\\\" does not exist\\",\\"error\\":\\"PROPERTY_DOESNT_EXIST\\",\\"name\\":\\"plan\\"}]",
                       "context":{"objectWriteTraceId":["ev-2"]}}]}
                    """)
                : upsertCompleted(r));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null),
                TestEvents.identify("ev-2", Map.of("email", "b@example.com", "plan", "free"))));

        assertThat(outcomes).containsExactly(Outcome.delivered(), Outcome.delivered());
        List<RecordedRequest> requests = MockHubSpot.taken(server);
        assertThat(requests).hasSize(2);
        assertThat(body(requests.get(1))).isEqualTo(tree("""
                {"inputs":[{"id":"b@example.com","idProperty":"email","objectWriteTraceId":"ev-2",
                            "properties":{"email":"b@example.com"}}]}
                """));
        assertThat(mapper.invalidations()).isEqualTo(1);
    }

    @Test
    void aRateLimitRetriesEveryEventAfterTheWindowAndStopsFurtherCalls() throws Exception {
        answer(r -> json(429, "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
                + "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            events.add(TestEvents.identify("ev-" + i, "user" + i + "@example.com", null));
        }
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(events);

        assertThat(outcomes).hasSize(150).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Outcome.Retry.class);
            assertThat(((Outcome.Retry) o).notBefore()).contains(NOW.plusSeconds(10));
        });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void rejectsIdentifiesWithoutOrWithInvalidEmailWithoutCallingHubSpot() throws Exception {
        Map<String, Object> noEmail = new LinkedHashMap<>();
        noEmail.put("firstname", "X");
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", noEmail),
                TestEvents.identify("ev-2", "not-an-email", null),
                TestEvents.identify("ev-3", Map.of("email", 42))));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Rejected.class));
        assertThat(((Outcome.Rejected) outcomes.get(0)).reason()).contains("no email");
        assertThat(((Outcome.Rejected) outcomes.get(1)).reason()).contains("not a valid email");
        assertThat(((Outcome.Rejected) outcomes.get(2)).reason()).contains("not a string");
        assertThat(server.getRequestCount()).isZero();
    }
    @Test
    void aDroppedConnectionRetriesEveryEventOfTheRequestWithAnEarliestTime() throws Exception {
        answer(r -> new MockResponse.Builder().onResponseStart(new mockwebserver3.SocketEffect.CloseSocket()).build());
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null), TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes).hasSize(2).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Outcome.Retry.class);
            assertThat(((Outcome.Retry) o).notBefore()).isPresent();
        });
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    @Test
    void aLockedContactStoreRetriesAfterAtLeastTwoSeconds() throws Exception {
        answer(r -> json(423, "{\"status\":\"error\",\"message\":\"Locked\",\"category\":\"LOCKED\"}"));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(TestEvents.identify("ev-1", "a@example.com", null)));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcomes.get(0)).notBefore()).contains(NOW.plusSeconds(2));
    }

    @Test
    void a207ErrorWithoutTraceIdIsNarrowedAmongTheUnconfirmedInputs() throws Exception {
        answer(r -> inputIds(r).size() > 1
                ? json(207, """
                    {"status":"COMPLETE","results":[{"id":"1","objectWriteTraceId":"ev-1","properties":{}}],
                     "errors":[{"status":"error","category":"VALIDATION_ERROR","message":"one input is invalid","context":{}}]}
                    """)
                : inputIds(r).contains("c@example.com") ? validationError("c is invalid") : upsertCompleted(r));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null),
                TestEvents.identify("ev-2", "b@example.com", null),
                TestEvents.identify("ev-3", "c@example.com", null)));

        assertThat(outcomes).containsExactly(Outcome.delivered(), Outcome.delivered(),
                Outcome.rejected("HubSpot 400 VALIDATION_ERROR: c is invalid"));
        assertThat(MockHubSpot.taken(server)).extracting(r -> inputIds(r).size()).containsExactly(3, 1, 1);
    }
    @Test
    void a200WhoseResultsLeaveAnInputOutDoesNotCountThatInputAsDelivered() throws Exception {
        answer(r -> json(200, """
                {"status":"COMPLETE",
                 "results":[{"id":"1","new":false,"objectWriteTraceId":"ev-1","properties":{"email":"a@example.com"}}],
                 "startedAt":"2026-01-20T21:14:16.000Z","completedAt":"2026-01-20T21:14:16.512Z"}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null), TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes.get(0)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcomes.get(1)).reason()).contains("did not confirm");
    }

    @Test
    void a200WithFewerResultsThanInputsAndNoWayToTellWhichIsRetriedForAll() throws Exception {
        answer(r -> json(200, """
                {"status":"COMPLETE","results":[{"id":"1","new":false,"properties":{}}],
                 "startedAt":"2026-01-20T21:14:16.000Z","completedAt":"2026-01-20T21:14:16.512Z"}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null), TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Retry.class));
    }

    @Test
    void aRepeatedResultDoesNotVouchForAnotherInput() throws Exception {
        answer(r -> json(200, """
                {"status":"COMPLETE","results":[
                  {"id":"1","new":false,"objectWriteTraceId":"ev-1","properties":{}},
                  {"id":"1","new":false,"objectWriteTraceId":"ev-1","properties":{}}],
                 "startedAt":"2026-01-20T21:14:16.000Z","completedAt":"2026-01-20T21:14:16.512Z"}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null), TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes.get(0)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void a200MatchesResultsByEmailWhenTheyCarryNoTraceId() throws Exception {
        answer(r -> json(200, """
                {"status":"COMPLETE","results":[{"id":"1","new":false,"properties":{"email":"B@example.com"}}],
                 "startedAt":"2026-01-20T21:14:16.000Z","completedAt":"2026-01-20T21:14:16.512Z"}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null), TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Retry.class);
        assertThat(outcomes.get(1)).isEqualTo(Outcome.delivered());
    }

    @Test
    void aRetryable207ErrorWithoutTraceIdOnTheOnlyUnconfirmedInputIsRetriedNotRejected() throws Exception {
        answer(r -> json(207, """
                {"status":"COMPLETE","results":[{"id":"1","objectWriteTraceId":"ev-1","properties":{}}],
                 "errors":[{"status":"error","category":"RATE_LIMITS","message":"try again later","context":{}}]}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null),
                TestEvents.identify("ev-2", "b@example.com", null)));

        assertThat(outcomes.get(0)).isEqualTo(Outcome.delivered());
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Retry.class);
        assertThat(((Outcome.Retry) outcomes.get(1)).reason()).contains("try again later");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRetryable207ErrorWithoutTraceIdOnALoneInputIsRetriedNotRejected() throws Exception {
        answer(r -> json(207, """
                {"status":"COMPLETE","results":[],
                 "errors":[{"status":"500","category":"INTERNAL_ERROR","message":"internal error","context":{}}]}
                """));
        List<Outcome> outcomes = upserter(ApiVersion.V2026_03).send(List.of(
                TestEvents.identify("ev-1", "a@example.com", null)));

        assertThat(outcomes.get(0)).isInstanceOf(Outcome.Retry.class);
    }
}
