package dev.sluice.hubspot.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One contact property of the portal, as the property list describes it.
 *
 * @param name       internal name ({@code firstname})
 * @param type       HubSpot's value type: {@code string}, {@code number}, {@code bool}, {@code date},
 *                   {@code datetime}, {@code enumeration}, {@code phone_number}...
 * @param fieldType  the form control ({@code text}, {@code select}, {@code checkbox}...); {@code checkbox}
 *                   on an enumeration means several values
 * @param options    the allowed values of an enumeration (or bool)
 * @param readOnly   {@code modificationMetadata.readOnlyValue}: HubSpot refuses writes
 * @param calculated computed by HubSpot; refuses writes
 */
public record ContactProperty(String name, String type, String fieldType, List<Option> options, boolean readOnly,
                              boolean calculated) {

    public ContactProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fieldType, "fieldType");
        options = List.copyOf(options);
    }

    /** One option of an enumeration: the {@code value} is what is written, the {@code label} what users see. */
    public record Option(String label, String value) {
        public Option {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(value, "value");
        }
    }

    public boolean writable() {
        return !readOnly && !calculated;
    }

    /** An enumeration shown as checkboxes takes several values, joined with {@code ;}. */
    public boolean multiValued() {
        return "enumeration".equals(type) && "checkbox".equals(fieldType);
    }
}
