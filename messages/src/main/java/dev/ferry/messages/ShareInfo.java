package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a data node needs to know of a share: where it is exported and with which protocol. */
public record ShareInfo(String id, String projectId, String protocol, long sizeGib, String exportPath) {

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("project_id", projectId);
        node.put("share_proto", protocol);
        node.put("size", sizeGib);
        node.put("export_path", exportPath);
        return node;
    }

    public static ShareInfo fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new ShareInfo(Json.text(node, "id"), Json.text(node, "project_id"), Json.text(node, "share_proto"),
                node.path("size").asLong(), Json.text(node, "export_path"));
    }
}
