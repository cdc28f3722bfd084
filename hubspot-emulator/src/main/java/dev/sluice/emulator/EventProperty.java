package dev.sluice.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * One property of a custom event definition.
 *
 * @param name           internal name
 * @param label          display label
 * @param type           string, number, enumeration, ...
 * @param fieldType      UI field type
 * @param options        option values of an enumeration
 * @param hubspotDefined true for the default properties HubSpot adds to every definition
 */
public record EventProperty(String name, String label, String type, String fieldType, List<String> options,
                            boolean hubspotDefined) {
    public EventProperty {
        Objects.requireNonNull(name, "name");
        label = label == null ? name : label;
        type = type == null ? "string" : type;
        fieldType = fieldType == null ? "text" : fieldType;
        options = List.copyOf(options == null ? List.of() : options);
    }

    /** A custom text property. */
    public static EventProperty text(String name) {
        return new EventProperty(name, name, "string", "text", List.of(), false);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonCodec.object();
        json.put("name", name);
        json.put("label", label);
        json.put("type", type);
        json.put("fieldType", fieldType);
        json.put("description", "");
        json.put("groupName", "event_properties");
        ArrayNode optionArray = json.putArray("options");
        for (int i = 0; i < options.size(); i++) {
            ObjectNode option = optionArray.addObject();
            option.put("label", options.get(i));
            option.put("value", options.get(i));
            option.put("displayOrder", i);
            option.put("hidden", false);
        }
        json.put("calculated", false);
        json.put("hasUniqueValue", false);
        json.put("hidden", false);
        json.put("hubspotDefined", hubspotDefined);
        json.put("formField", false);
        ObjectNode metadata = json.putObject("modificationMetadata");
        metadata.put("archivable", !hubspotDefined);
        metadata.put("readOnlyDefinition", hubspotDefined);
        metadata.put("readOnlyValue", false);
        return json;
    }
}
