package dev.sluice.hubspot.events;

import dev.sluice.api.Event;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventNameResolverTest {

    private final EventNameResolver resolver = new EventNameResolver("20546336",
            Map.of("Purchase Completed", "purchase", "signup", "pe20546336_sign_up", "weird", "123"));

    private EventNameResolver.Result resolve(String type) {
        return resolver.resolve(Event.of("e", type == null ? Map.of() : Map.of("event_type", type)));
    }

    @Test
    void normalisesTheEventTypeBehindThePortalPrefix() {
        assertThat(resolve("Page View")).isEqualTo(new EventNameResolver.Named("pe20546336_page_view"));
        assertThat(resolve("checkout.step-2!!done")).isEqualTo(new EventNameResolver.Named("pe20546336_checkout_step-2_done"));
        assertThat(resolve("  __Clicked  ")).isEqualTo(new EventNameResolver.Named("pe20546336_clicked"));
    }

    @Test
    void usesTheMappingWithOrWithoutThePrefix() {
        assertThat(resolve("Purchase Completed")).isEqualTo(new EventNameResolver.Named("pe20546336_purchase"));
        assertThat(resolve("signup")).isEqualTo(new EventNameResolver.Named("pe20546336_sign_up"));
    }

    @Test
    void aMappedFullyQualifiedNameKeepsOnePrefixWhateverItsCaseOrSurroundingSpace() {
        EventNameResolver pasted = new EventNameResolver("20546336",
                Map.of("Buy", "PE20546336_Purchase", "Join", " pe20546336_sign_up "));
        assertThat(pasted.resolve(Event.of("e", Map.of("event_type", "Buy"))))
                .isEqualTo(new EventNameResolver.Named("pe20546336_purchase"));
        assertThat(pasted.resolve(Event.of("e", Map.of("event_type", "Join"))))
                .isEqualTo(new EventNameResolver.Named("pe20546336_sign_up"));
    }

    @Test
    void rejectsTypesThatCannotMakeAValidName() {
        assertThat(resolve("404 page")).isInstanceOf(EventNameResolver.Unnamed.class);
        assertThat(resolve("!!!")).isInstanceOf(EventNameResolver.Unnamed.class);
        assertThat(resolve(null)).isInstanceOf(EventNameResolver.Unnamed.class);
        assertThat(resolve("weird")).isInstanceOf(EventNameResolver.Unnamed.class);
        assertThat(((EventNameResolver.Unnamed) resolve("a".repeat(51))).reason()).contains("51 characters");
        assertThat(resolve("a".repeat(50))).isEqualTo(new EventNameResolver.Named("pe20546336_" + "a".repeat(50)));
    }
}
