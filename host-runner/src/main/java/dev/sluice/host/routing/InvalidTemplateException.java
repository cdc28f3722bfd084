package dev.sluice.host.routing;

/** A {@code table_name_template} that cannot be compiled; the message says why and where. */
final class InvalidTemplateException extends Exception {

    public InvalidTemplateException(String message) {
        super(message);
    }
}
