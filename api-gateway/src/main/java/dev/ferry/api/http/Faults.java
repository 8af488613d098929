package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.messages.Json;
import io.javalin.http.Context;

/** Manila's fault bodies: {@code {"<name>": {"code": N, "message": "..."}}}. */
public final class Faults {
    private Faults() {
    }

    public static String name(int status) {
        return switch (status) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 409 -> "conflictingRequest";
            case 413 -> "overLimit";
            default -> "computeFault";
        };
    }

    public static ObjectNode body(int status, String message) {
        ObjectNode root = Json.object();
        ObjectNode fault = root.putObject(name(status));
        fault.put("code", status);
        fault.put("message", message);
        if (status == 413) {
            fault.put("retryAfter", "0");
        }
        return root;
    }

    public static void write(Context ctx, int status, String message) {
        Responses.json(ctx, status, body(status, message));
    }
}
