package dev.sluice.webhook;

import java.util.List;

/**
 * Replaces every known secret form (header values, tokens, the URL's query) in a text with
 * {@code ****}. Used on everything the endpoint or the network stack wrote before it goes into
 * an outcome reason.
 */
final class SecretMask {

    static final String MASK = "****";

    private final List<String> forms;

    /** {@code forms} longest first, so that a secret containing another is masked whole. */
    SecretMask(List<String> forms) {
        this.forms = List.copyOf(forms);
    }

    String apply(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String masked = text;
        for (String form : forms) {
            if (masked.contains(form)) {
                masked = masked.replace(form, MASK);
            }
        }
        return masked;
    }

    @Override
    public String toString() {
        return "SecretMask{" + forms.size() + " forms}";
    }
}
