package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.service.ApiError;
import dev.ferry.messages.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/** Reading request bodies and values as Manila does (JSON; oslo's bool_from_string). */
public final class RequestBodies {
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");

    private RequestBodies() {
    }

    /** The parsed body; an empty body is null; anything unparseable is 400 "Malformed request body". */
    public static JsonNode json(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return Json.parse(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest("Malformed request body");
        }
    }

    /** An action request's one key and its value (which may be JSON null). */
    public record Action(String name, JsonNode args) {
    }

    /** The body of an {@code …/action} request: an object with exactly one key; otherwise 400 "Malformed request body". */
    public static Action action(Context ctx) {
        JsonNode body = json(ctx);
        if (body == null || !body.isObject() || body.size() != 1) {
            throw ApiError.badRequest("Malformed request body");
        }
        String name = body.fieldNames().next();
        return new Action(name, body.get(name));
    }

    /** oslo's {@code bool_from_string}: true for 1/t/true/on/y/yes (any case), false otherwise. */
    public static boolean isTrue(String value) {
        return value != null && TRUE.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /** A strict boolean: JSON true/false, or a string oslo reads as one; anything else is 400. */
    public static boolean strictBoolean(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        String text = value.asText().trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw ApiError.badRequest("Invalid value '" + value.asText() + "' for '" + field
                + "': use true or false.");
    }

    /** A text field of an object, or null when absent or JSON null. Non-text values are 400. */
    public static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("'" + field + "' must be a string.");
        }
        if (value.asText().indexOf('\0') >= 0) {
            throw ApiError.badRequest("'" + field + "' contains a NUL character; remove it and retry.");
        }
        return value.asText();
    }

    /** Like {@link #text}, and at most {@code longest} characters: else 400 naming the limit. */
    public static String text(JsonNode object, String field, int longest) {
        String text = text(object, field);
        if (text != null && text.length() > longest) {
            throw ApiError.badRequest("'" + field + "' is " + text.length() + " characters long; it may have at most "
                    + longest + ". Shorten it and retry.");
        }
        return text;
    }
}
