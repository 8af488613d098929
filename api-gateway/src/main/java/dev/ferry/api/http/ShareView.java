package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Share;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloTime;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Manila's share views ({@code manila/api/views/shares.py}) for the fields Ferry has. */
public final class ShareView {
    /** From 2.6 a share's {@code share_type} is its type's id, with {@code share_type_name} beside it. */
    static final ApiVersion SHARE_TYPE_IDS = new ApiVersion(2, 6);

    private ShareView() {
    }

    public static ObjectNode summary(Share share, String baseUrl) {
        ObjectNode view = Json.object();
        view.put("id", share.id());
        view.put("name", share.name());
        view.set("links", links(share, baseUrl));
        return view;
    }

    public static ObjectNode detail(Share share, ApiVersion version, boolean admin, String baseUrl) {
        ObjectNode view = Json.object();
        view.put("id", share.id());
        view.put("size", share.size());
        view.putNull("availability_zone");
        view.put("created_at", OsloTime.format(share.createdAt()));
        view.put("status", share.status().wire());
        view.put("name", share.name());
        view.put("description", share.description());
        view.put("project_id", share.projectId());
        view.putNull("snapshot_id");
        view.putNull("share_network_id");
        view.put("share_proto", share.protocol());
        view.putObject("metadata");
        // Manila: the type's name below 2.6 (also as volume_type, in every version); from 2.6 its id, with the
        // name as share_type_name.
        view.put("share_type", version.atLeast(SHARE_TYPE_IDS) ? share.shareTypeId() : share.shareTypeName());
        view.put("volume_type", share.shareTypeName());
        view.put("is_public", share.isPublic());
        view.set("links", links(share, baseUrl));
        if (admin) {
            view.putNull("host");
        }
        if (!version.atLeast(ApiVersion.EXPORT_LOCATIONS)) {
            view.put("export_location", share.exportPath());
            view.putArray("export_locations").add(share.exportPath());
        }
        if (version.atLeast(new ApiVersion(2, 2))) {
            view.put("snapshot_support", false);
        }
        if (version.atLeast(new ApiVersion(2, 5))) {
            view.putNull("task_state");
        }
        if (version.atLeast(SHARE_TYPE_IDS)) {
            view.put("share_type_name", share.shareTypeName());
        }
        if (version.atLeast(new ApiVersion(2, 10))) {
            view.put("access_rules_status", "active");
        }
        if (version.atLeast(new ApiVersion(2, 11))) {
            view.putNull("replication_type");
            view.put("has_replicas", false);
        }
        if (version.atLeast(new ApiVersion(2, 16))) {
            view.put("user_id", share.userId());
        }
        if (version.atLeast(new ApiVersion(2, 54))) {
            view.put("progress", share.progressText());
        }
        if (version.atLeast(new ApiVersion(2, 69))) {
            view.put("is_soft_deleted", false);
            view.putNull("scheduled_to_be_deleted_at");
        }
        if (version.atLeast(ApiVersion.BACKUPS)) {
            view.put("source_backup_id", share.sourceBackupId());
        }
        return view;
    }

    /** The share's one export location; {@code share_instance_id} and {@code is_admin_only} for admins. */
    public static ObjectNode exportLocation(Share share, boolean admin) {
        ObjectNode view = Json.object();
        view.put("id", exportLocationId(share));
        view.put("path", share.exportPath());
        view.put("preferred", true);
        if (admin) {
            view.put("share_instance_id", instanceId(share));
            view.put("is_admin_only", false);
        }
        return view;
    }

    /** Stable ids derived from the share: Ferry keeps one export location and one instance per share. */
    public static String exportLocationId(Share share) {
        return UUID.nameUUIDFromBytes(("export-location:" + share.id()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String instanceId(Share share) {
        return UUID.nameUUIDFromBytes(("share-instance:" + share.id()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static ArrayNode links(Share share, String baseUrl) {
        ArrayNode links = Json.mapper().createArrayNode();
        links.addObject().put("href", baseUrl + "/v2/" + share.projectId() + "/shares/" + share.id())
                .put("rel", "self");
        links.addObject().put("href", baseUrl + "/" + share.projectId() + "/shares/" + share.id())
                .put("rel", "bookmark");
        return links;
    }
}
