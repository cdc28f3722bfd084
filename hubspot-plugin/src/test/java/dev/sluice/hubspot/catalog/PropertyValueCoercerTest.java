package dev.sluice.hubspot.catalog;

import dev.sluice.hubspot.catalog.PropertyValueCoercer.Coerced;
import dev.sluice.hubspot.catalog.PropertyValueCoercer.Dropped;
import dev.sluice.hubspot.catalog.PropertyValueCoercer.Empty;
import dev.sluice.hubspot.catalog.PropertyValueCoercer.Value;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyValueCoercerTest {

    private static final ContactProperty STRING = property("company", "string", "text");
    private static final ContactProperty NUMBER = property("seats", "number", "number");
    private static final ContactProperty BOOL = new ContactProperty("is_paying", "bool", "booleancheckbox",
            List.of(new ContactProperty.Option("Yes", "true"), new ContactProperty.Option("No", "false")), false, false);
    private static final ContactProperty DATE = property("signup_date", "date", "date");
    private static final ContactProperty DATETIME = property("last_login", "datetime", "date");
    private static final ContactProperty LIFECYCLE = new ContactProperty("lifecyclestage", "enumeration", "radio",
            List.of(new ContactProperty.Option("Lead", "lead"),
                    new ContactProperty.Option("Sales Qualified Lead", "salesqualifiedlead"),
                    new ContactProperty.Option("Customer", "customer")), false, false);
    private static final ContactProperty LEAD_STATUS = new ContactProperty("hs_lead_status", "enumeration", "radio",
            List.of(new ContactProperty.Option("New", "NEW"), new ContactProperty.Option("In Progress", "IN_PROGRESS")),
            false, false);
    private static final ContactProperty FEATURES = new ContactProperty("favorite_features", "enumeration", "checkbox",
            List.of(new ContactProperty.Option("Reports", "reports"), new ContactProperty.Option("Dashboards", "dashboards"),
                    new ContactProperty.Option("Exports", "exports")), false, false);
    private static final ContactProperty OWNER = property("hubspot_owner_id", "enumeration", "select");

    private final PropertyValueCoercer coercer = new PropertyValueCoercer();

    private static ContactProperty property(String name, String type, String fieldType) {
        return new ContactProperty(name, type, fieldType, List.of(), false, false);
    }

    private String value(ContactProperty p, Object v) {
        Coerced c = coercer.coerce(p, v);
        assertThat(c).as("coerce %s for %s", v, p.name()).isInstanceOf(Value.class);
        return ((Value) c).text();
    }

    private String dropped(ContactProperty p, Object v) {
        Coerced c = coercer.coerce(p, v);
        assertThat(c).as("coerce %s for %s", v, p.name()).isInstanceOf(Dropped.class);
        return ((Dropped) c).reason();
    }

    @Test
    void nullEmptyTextAndEmptyListLeaveThePropertyAlone() {
        for (ContactProperty p : List.of(STRING, NUMBER, BOOL, DATE, DATETIME, LIFECYCLE, FEATURES)) {
            assertThat(coercer.coerce(p, null)).isInstanceOf(Empty.class);
            assertThat(coercer.coerce(p, "")).isInstanceOf(Empty.class);
            assertThat(coercer.coerce(p, List.of())).isInstanceOf(Empty.class);
        }
    }

    @Test
    void stringsKeepTextAndWriteOtherValuesAsJson() {
        assertThat(value(STRING, "Acme Inc.")).isEqualTo("Acme Inc.");
        assertThat(value(STRING, "  padded ")).isEqualTo("  padded ");
        assertThat(value(STRING, 42L)).isEqualTo("42");
        assertThat(value(STRING, 3.0)).isEqualTo("3");
        assertThat(value(STRING, 2.5)).isEqualTo("2.5");
        assertThat(value(STRING, true)).isEqualTo("true");
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("city", "Berlin");
        address.put("zip", 10115L);
        assertThat(value(STRING, address)).isEqualTo("{\"city\":\"Berlin\",\"zip\":10115}");
        assertThat(value(STRING, List.of("a", 1L))).isEqualTo("[\"a\",1]");
        assertThat(value(property("phone", "phone_number", "phonenumber"), "+49 30 1234")).isEqualTo("+49 30 1234");
    }

    @Test
    void stringsLongerThanHubSpotsLimitAreDroppedNotTruncated() {
        assertThat(value(STRING, "x".repeat(65_536))).hasSize(65_536);
        assertThat(dropped(STRING, "x".repeat(65_537))).contains("65,536").doesNotContain("xxx");
    }

    @Test
    void numbersAreDecimalStrings() {
        assertThat(value(NUMBER, 12L)).isEqualTo("12");
        assertThat(value(NUMBER, 12.5)).isEqualTo("12.5");
        assertThat(value(NUMBER, 1.0e20)).isEqualTo("100000000000000000000");
        assertThat(value(NUMBER, new BigDecimal("0.000001"))).isEqualTo("0.000001");
        assertThat(value(NUMBER, new BigInteger("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
        assertThat(value(NUMBER, " 12.50 ")).isEqualTo("12.50");
        assertThat(value(NUMBER, "1e3")).isEqualTo("1000");
        assertThat(value(NUMBER, "-7")).isEqualTo("-7");
    }

    @Test
    void nonNumbersAreDroppedWithAReason() {
        assertThat(dropped(NUMBER, "twelve")).isEqualTo("not a number");
        assertThat(dropped(NUMBER, "12 seats")).isEqualTo("not a number");
        assertThat(dropped(NUMBER, true)).isEqualTo("not a number");
        assertThat(dropped(NUMBER, Map.of("n", 1L))).isEqualTo("not a number");
        assertThat(dropped(NUMBER, Double.NaN)).isEqualTo("not a finite number");
        assertThat(dropped(NUMBER, Double.POSITIVE_INFINITY)).isEqualTo("not a finite number");
    }

    @Test
    void booleansAcceptTrueFalseYesNoOneZero() {
        assertThat(value(BOOL, true)).isEqualTo("true");
        assertThat(value(BOOL, false)).isEqualTo("false");
        for (String yes : List.of("true", "TRUE", " yes ", "Yes", "1")) {
            assertThat(value(BOOL, yes)).isEqualTo("true");
        }
        for (String no : List.of("false", "False", "no", "NO", "0")) {
            assertThat(value(BOOL, no)).isEqualTo("false");
        }
        assertThat(value(BOOL, 1L)).isEqualTo("true");
        assertThat(value(BOOL, 0L)).isEqualTo("false");
        assertThat(dropped(BOOL, "maybe")).isEqualTo("not true or false");
        assertThat(dropped(BOOL, 2L)).isEqualTo("not true or false");
        assertThat(dropped(BOOL, 0.5)).isEqualTo("not true or false");
    }

    @Test
    void datesBecomeEpochMillisAtMidnightUtc() {
        assertThat(value(DATE, "2015-05-01")).isEqualTo("1430438400000");
        assertThat(value(DATE, "2015-05-01T00:00:00Z")).isEqualTo("1430438400000");
        assertThat(value(DATE, "2015-05-01T00:00:00.000+00:00")).isEqualTo("1430438400000");
        assertThat(value(DATE, "2015-05-01T00:00:00")).isEqualTo("1430438400000");
        assertThat(value(DATE, 1430438400000L)).isEqualTo("1430438400000");
        assertThat(value(DATE, "1430438400000")).isEqualTo("1430438400000");
        assertThat(value(DATE, 1.4304384E12)).isEqualTo("1430438400000");
    }

    @Test
    void datesNotAtMidnightUtcAreDroppedNotTruncated() {
        assertThat(dropped(DATE, "2015-05-01T13:01:00Z")).contains("midnight UTC", "INVALID_DATE");
        assertThat(dropped(DATE, 1430485260000L)).contains("midnight UTC");
        assertThat(dropped(DATE, "2015-05-01T00:00:00+02:00")).as("midnight in Berlin is 22:00 UTC")
                .contains("midnight UTC");
        assertThat(dropped(DATE, "first of May")).startsWith("not a date");
        assertThat(dropped(DATE, true)).startsWith("not a date");
    }

    @Test
    void dateTimesBecomeEpochMillis() {
        assertThat(value(DATETIME, "2026-01-20T21:14:16.512Z")).isEqualTo("1768943656512");
        assertThat(value(DATETIME, "2026-01-20T22:14:16.512+01:00")).isEqualTo("1768943656512");
        assertThat(value(DATETIME, "2026-01-20T21:14:16.512")).as("no offset: UTC").isEqualTo("1768943656512");
        assertThat(value(DATETIME, 1768943656512L)).isEqualTo("1768943656512");
        assertThat(value(DATETIME, "1768943656512")).isEqualTo("1768943656512");
        assertThat(value(DATETIME, "2026-01-20")).isEqualTo("1768867200000");
        assertThat(dropped(DATETIME, "yesterday")).startsWith("not a date-time");
        assertThat(dropped(DATETIME, 1.5)).startsWith("not a date-time");
    }

    @Test
    void enumerationsMatchOptionValuesThenLabels() {
        assertThat(value(LIFECYCLE, "lead")).isEqualTo("lead");
        assertThat(value(LIFECYCLE, "LEAD")).isEqualTo("lead");
        assertThat(value(LIFECYCLE, "Sales Qualified Lead")).isEqualTo("salesqualifiedlead");
        assertThat(value(LIFECYCLE, "sales qualified lead")).isEqualTo("salesqualifiedlead");
        assertThat(value(LEAD_STATUS, "in progress")).isEqualTo("IN_PROGRESS");
        assertThat(value(LEAD_STATUS, "new")).isEqualTo("NEW");
        assertThat(value(LIFECYCLE, List.of("customer"))).isEqualTo("customer");
        assertThat(dropped(LIFECYCLE, "prospect")).isEqualTo("not an option of 'lifecyclestage'"
                + " (lead, salesqualifiedlead, customer)");
        assertThat(dropped(LIFECYCLE, List.of("lead", "customer"))).contains("takes one option");
    }

    @Test
    void checkboxesTakeSeveralValuesJoinedWithSemicolons() {
        assertThat(value(FEATURES, List.of("reports", "Dashboards"))).isEqualTo("reports;dashboards");
        assertThat(value(FEATURES, "reports;exports")).isEqualTo("reports;exports");
        assertThat(value(FEATURES, "reports; Exports ;reports")).isEqualTo("reports;exports");
        assertThat(value(FEATURES, "exports")).isEqualTo("exports");
        assertThat(dropped(FEATURES, List.of("reports", "games"))).startsWith("not an option of 'favorite_features'");
        assertThat(dropped(FEATURES, Arrays.asList("reports", null))).startsWith("not an option");
    }

    @Test
    void enumerationsWithoutOptionsTakeTheTextAsGiven() {
        assertThat(value(OWNER, "12345")).isEqualTo("12345");
        assertThat(value(OWNER, 12345L)).isEqualTo("12345");
    }
}
