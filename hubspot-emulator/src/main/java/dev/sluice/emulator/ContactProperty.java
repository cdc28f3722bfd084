package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * One contact property of the catalog.
 *
 * @param name         internal name
 * @param type         HubSpot data type: string, number, bool, date, datetime, enumeration
 * @param fieldType    UI field type (checkbox enumerations take several values joined with ';')
 * @param optionValues allowed option values (enumeration and bool)
 * @param readOnly     {@code modificationMetadata.readOnlyValue} or {@code calculated}
 * @param json         the property as listed by the properties endpoints
 */
record ContactProperty(String name, String type, String fieldType, List<String> optionValues, boolean readOnly,
                       ObjectNode json) {
    ContactProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fieldType, "fieldType");
        optionValues = List.copyOf(optionValues);
        json = json.deepCopy();
    }

    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }
}
