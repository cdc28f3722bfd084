package dev.sluice.emulator;

/** The two HubSpot rate-limit policies, named as in the 429 body's {@code policyName}. */
enum RateLimitPolicy {
    TEN_SECONDLY_ROLLING("ten_secondly_rolling"),
    DAILY("daily");

    private final String messageName;

    RateLimitPolicy(String messageName) {
        this.messageName = messageName;
    }

    String messageName() {
        return messageName;
    }
}
