package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The {@code failure} of an oslo reply: a JSON string holding class, module, message, tb, args and
 * kwargs (oslo-wire.md §5.2). An oslo client rebuilds {@code module.class(*args, **kwargs)}.
 */
public record RemoteFailure(String className, String module, String message, ObjectNode kwargs) {

    public static RemoteFailure unsupportedVersion(String version, String method) {
        return new RemoteFailure("UnsupportedVersion", "oslo_messaging.rpc.dispatcher",
                "Endpoint does not support RPC version " + version + ". Attempted method: " + method, Json.object());
    }

    public static RemoteFailure noSuchMethod(String method) {
        return new RemoteFailure("NoSuchMethod", "oslo_messaging.rpc.dispatcher",
                "Endpoint does not support RPC method " + method, Json.object());
    }

    public static RemoteFailure typeError(String message) {
        return new RemoteFailure("TypeError", "builtins", message, Json.object());
    }

    public String toJsonString() {
        ObjectNode node = Json.object();
        node.put("class", className);
        node.put("module", module);
        node.put("message", message);
        node.putArray("tb");
        node.putArray("args").add(message);
        node.set("kwargs", kwargs == null ? Json.object() : kwargs);
        return Json.pythonStyle(node);
    }

    public static RemoteFailure parse(String json) {
        try {
            JsonNode node = Json.parse(json);
            JsonNode kwargs = node.get("kwargs");
            return new RemoteFailure(Json.text(node, "class"), Json.text(node, "module"), Json.text(node, "message"),
                    kwargs != null && kwargs.isObject() ? (ObjectNode) kwargs : Json.object());
        } catch (IOException e) {
            return new RemoteFailure("RemoteError", "oslo_messaging", json, Json.object());
        }
    }
}
