package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Manila's request context as it travels in {@code _context_*} fields (oslo-wire.md §4).
 * The request id ({@code req-<uuid>}) follows a job through every log line of every process. The global request
 * id is the id another OpenStack service gave the request that caused this one (its {@code X-OpenStack-Request-Id},
 * as oslo.middleware keeps it); it is null unless it has the {@code req-<uuid>} form.
 */
public record RequestContext(String userId, String projectId, boolean isAdmin, List<String> roles,
                             String requestId, String projectName, String remoteAddress, String timestamp,
                             String globalRequestId) {
    private static final Pattern REQUEST_ID = Pattern.compile(
            "req-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public RequestContext {
        roles = List.copyOf(roles == null ? List.of() : roles);
        globalRequestId = isRequestId(globalRequestId) ? globalRequestId : null;
    }

    /** A context without a global request id. */
    public RequestContext(String userId, String projectId, boolean isAdmin, List<String> roles,
                          String requestId, String projectName, String remoteAddress, String timestamp) {
        this(userId, projectId, isAdmin, roles, requestId, projectName, remoteAddress, timestamp, null);
    }

    /** Whether {@code id} has the {@code req-<uuid>} form of an OpenStack request id. */
    public static boolean isRequestId(String id) {
        return id != null && REQUEST_ID.matcher(id).matches();
    }

    /** This context with the global request id another service sent; an id not of the req-uuid form is dropped. */
    public RequestContext withGlobalRequestId(String id) {
        return new RequestContext(userId, projectId, isAdmin, roles, requestId, projectName, remoteAddress,
                timestamp, id);
    }

    public static String newRequestId() {
        return "req-" + UUID.randomUUID();
    }

    public static RequestContext of(String userId, String projectId, boolean isAdmin, List<String> roles) {
        return new RequestContext(userId, projectId, isAdmin, roles, newRequestId(), null, null,
                OsloTime.format(LocalDateTime.now(ZoneOffset.UTC)));
    }

    /** A context for Ferry's own service-to-service calls that carries a job's request id. */
    public static RequestContext service(String node, String requestId) {
        return new RequestContext(node, null, true, List.of("admin"), requestId, null, null,
                OsloTime.format(LocalDateTime.now(ZoneOffset.UTC)));
    }

    /** Writes the 25 keys Manila's {@code RequestContext.to_dict()} sends, in its order. */
    public void writeTo(ObjectNode message) {
        message.put("_context_user", userId);
        message.put("_context_project_id", projectId);
        message.putNull("_context_system_scope");
        message.put("_context_project", projectId);
        message.putNull("_context_domain");
        message.putNull("_context_user_domain");
        message.putNull("_context_project_domain");
        message.put("_context_is_admin", isAdmin);
        message.put("_context_read_only", false);
        message.put("_context_show_deleted", false);
        message.putNull("_context_auth_token");
        message.put("_context_request_id", requestId);
        message.put("_context_global_request_id", globalRequestId);
        message.putNull("_context_resource_uuid");
        ArrayNode roleArray = message.putArray("_context_roles");
        roles.forEach(roleArray::add);
        message.put("_context_user_identity", userId + " " + (projectId == null ? "-" : projectId) + " - - -");
        message.put("_context_is_admin_project", true);
        message.put("_context_user_id", userId);
        message.put("_context_project_name", projectName);
        message.putNull("_context_domain_id");
        message.put("_context_read_deleted", "no");
        message.put("_context_remote_address", remoteAddress);
        message.put("_context_timestamp", timestamp);
        message.putNull("_context_quota_class");
        message.putArray("_context_service_catalog");
    }

    /** Reads the {@code _context_*} fields of an inner message; missing keys default. */
    public static RequestContext readFrom(JsonNode message) {
        String user = first(message, "_context_user_id", "_context_user");
        String project = first(message, "_context_project_id", "_context_project");
        List<String> roles = new ArrayList<>();
        JsonNode roleNode = message.get("_context_roles");
        if (roleNode != null && roleNode.isArray()) {
            roleNode.forEach(r -> roles.add(r.asText()));
        }
        JsonNode admin = message.get("_context_is_admin");
        String requestId = Json.text(message, "_context_request_id");
        return new RequestContext(user, project, admin != null && admin.asBoolean(false), roles,
                requestId == null ? newRequestId() : requestId, Json.text(message, "_context_project_name"),
                Json.text(message, "_context_remote_address"), Json.text(message, "_context_timestamp"),
                Json.text(message, "_context_global_request_id"));
    }

    public Map<String, String> logFields() {
        return Map.of("request_id", requestId);
    }

    private static String first(JsonNode message, String... keys) {
        for (String key : keys) {
            String value = Json.text(message, key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
