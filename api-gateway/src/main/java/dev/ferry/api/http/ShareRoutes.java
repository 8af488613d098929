package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.db.ShareRepository;
import dev.ferry.api.model.Share;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.Paged;
import dev.ferry.api.service.ShareChanges;
import dev.ferry.api.service.ShareCreationService;
import dev.ferry.api.service.ShareService;
import dev.ferry.messages.Json;
import dev.ferry.messages.RequestContext;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /v2/shares...}: create ({@code subdir} backend, optionally from a backup), manage, list, show,
 * export locations, delete, and the actions extend, shrink, unmanage and reset_status.
 */
public final class ShareRoutes {
    /** The columns' lengths: export_path and project_id. */
    private static final int LONGEST_EXPORT_PATH = 1024;
    private static final int LONGEST_PROJECT_ID = 255;
    private static final int LONGEST_TYPE = 255;
    private static final Set<String> PROTOCOLS = Set.of("NFS", "CIFS", "GLUSTERFS", "HDFS", "CEPHFS", "MAPRFS");
    private final ShareService shares;
    private final ShareCreationService creation;
    private final ShareChanges changes;
    private final PublicUrl publicUrl;
    private final Paging paging;

    /** Links start with {@code publicUrl}; lists are paged by {@code paging}. */
    public ShareRoutes(ShareService shares, ShareCreationService creation, ShareChanges changes, PublicUrl publicUrl,
                       Paging paging) {
        this.shares = shares;
        this.creation = creation;
        this.changes = changes;
        this.publicUrl = publicUrl;
        this.paging = paging;
    }

    public void register(V2Router router) {
        router.post("/shares", this::create);
        router.post("/shares/manage", this::manage);
        router.delete("/shares/{share_id}", this::delete);
        router.post("/shares/{share_id}/action", this::action);
        router.get("/shares", ctx -> list(ctx, false));
        router.get("/shares/detail", ctx -> list(ctx, true));
        router.get("/shares/{share_id}", this::show);
        router.get("/shares/{share_id}/export_locations", this::exportLocations);
        router.get("/shares/{share_id}/export_locations/{export_location_id}", this::exportLocation);
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.json(ctx);
        if (body == null || !body.isObject() || !body.path("share").isObject()) {
            throw ApiError.unprocessable("Body does not contain 'share' information.");
        }
        JsonNode share = body.get("share");
        String protocol = required(share, "share_proto");
        for (String unsupported : List.of("snapshot_id", "share_group_id")) {
            if (share.hasNonNull(unsupported)) {
                throw ApiError.badRequest("'" + unsupported + "' is not supported: Ferry has no snapshots or share "
                        + "groups. Leave it out.");
            }
        }
        String backupId = null;
        if (share.hasNonNull("backup_id")) {
            if (!Requests.version(ctx).atLeast(ApiVersion.TARGETED_RESTORE)) {
                throw ApiError.badRequest("Creating a share from a backup ('backup_id') needs API microversion "
                        + ApiVersion.TARGETED_RESTORE + " or later; send X-OpenStack-Manila-API-Version: "
                        + ApiVersion.TARGETED_RESTORE + ".");
            }
            backupId = RequestBodies.text(share, "backup_id");
            if (backupId == null || backupId.isBlank()) {
                throw ApiError.badRequest("'backup_id' must be a backup id.");
            }
        }
        if (share.has("share_type") && share.has("volume_type")) {
            throw ApiError.badRequest("Cannot specify both share_type and volume_type");
        }
        String shareType = share.has("share_type") ? RequestBodies.text(share, "share_type", LONGEST_TYPE)
                : RequestBodies.text(share, "volume_type", LONGEST_TYPE);
        JsonNode size = share.get("size");
        ShareCreationService.CreateRequest request = new ShareCreationService.CreateRequest(protocol,
                size == null || size.isNull() ? null : size(size), first(share, "name", "display_name",
                BackupRoutes.LONGEST_NAME), first(share, "description", "display_description",
                BackupRoutes.LONGEST_DESCRIPTION),
                RequestBodies.strictBoolean(share.get("is_public"), "is_public"), backupId, shareType);
        RequestContext caller = Requests.caller(ctx);
        Share created = creation.create(caller, request);
        ObjectNode out = Json.object();
        out.set("share", ShareView.detail(created, Requests.version(ctx), caller.isAdmin(), publicUrl.base()));
        Responses.json(ctx, 200, out);
    }

    private void delete(Context ctx) {
        changes.delete(Requests.caller(ctx), ctx.pathParam("share_id"));
        ctx.status(202);
    }

    /** Manila's share actions that Ferry serves; the body has exactly one key. */
    private void action(Context ctx) {
        RequestBodies.Action request = RequestBodies.action(ctx);
        String action = request.name();
        JsonNode args = request.args();
        RequestContext caller = Requests.caller(ctx);
        String shareId = ctx.pathParam("share_id");
        switch (action) {
            case "extend", "os-extend" -> changes.extend(caller, shareId, newSize(args, action));
            case "shrink", "os-shrink" -> changes.shrink(caller, shareId, newSize(args, action));
            case "unmanage" -> {
                if (args != null && !args.isNull()) {
                    throw ApiError.badRequest("Malformed request body: unmanage takes no arguments; send "
                            + "{\"unmanage\": null}.");
                }
                changes.unmanage(caller, shareId);
            }
            case "reset_status", "os-reset_status" -> {
                if (args == null || !args.isObject()) {
                    throw ApiError.badRequest("Must specify 'status'");
                }
                changes.resetStatus(caller, shareId, RequestBodies.text(args, "status"));
            }
            default -> throw ApiError.badRequest("There is no such action: " + action);
        }
        ctx.status(202);
    }

    private static int newSize(JsonNode args, String action) {
        if (args == null || !args.isObject() || !args.has("new_size")) {
            throw ApiError.badRequest("Must specify 'new_size' for " + action + ", e.g. {\"" + action
                    + "\": {\"new_size\": 2}}.");
        }
        JsonNode value = args.get("new_size");
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.asInt();
        }
        if (value.isTextual() && value.asText().trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(value.asText().trim());
        }
        throw ApiError.badRequest("New size must be an integer value, not " + value + ".");
    }

    private void manage(Context ctx) {
        JsonNode body = RequestBodies.json(ctx);
        if (body == null || !body.isObject() || !body.path("share").isObject()) {
            throw ApiError.unprocessable("Body does not contain 'share' information.");
        }
        JsonNode share = body.get("share");
        String protocol = required(share, "protocol");
        if (!PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
            throw ApiError.badRequest("Invalid share protocol '" + protocol + "': use one of NFS, CIFS, GLUSTERFS, "
                    + "HDFS, CEPHFS, MAPRFS.");
        }
        String exportPath = exportPath(share);
        String name = first(share, "name", "display_name", BackupRoutes.LONGEST_NAME);
        String description = first(share, "description", "display_description", BackupRoutes.LONGEST_DESCRIPTION);
        boolean isPublic = RequestBodies.strictBoolean(share.get("is_public"), "is_public");
        String projectId = RequestBodies.text(share, "project_id", LONGEST_PROJECT_ID);
        ShareService.ManageRequest request = new ShareService.ManageRequest(protocol.toUpperCase(Locale.ROOT),
                exportPath, name, description, isPublic, size(share.get("size")),
                projectId == null || projectId.isBlank() ? null : projectId,
                RequestBodies.text(share, "share_type", LONGEST_TYPE));
        RequestContext caller = Requests.caller(ctx);
        Share managed = shares.manage(caller, request);
        ObjectNode out = Json.object();
        out.set("share", ShareView.detail(managed, Requests.version(ctx), caller.isAdmin(), publicUrl.base()));
        Responses.json(ctx, 200, out);
    }

    private void list(Context ctx, boolean detail) {
        RequestContext caller = Requests.caller(ctx);
        ListParams params = ListParams.read(ctx, "created_at", ShareRepository.SORT_KEYS.keySet());
        ShareService.ListQuery query = new ShareService.ListQuery(
                RequestBodies.isTrue(ctx.queryParam("all_tenants")) || RequestBodies.isTrue(ctx.queryParam("all_projects")),
                RequestBodies.isTrue(ctx.queryParam("is_public")),
                RequestBodies.isTrue(ctx.queryParam("is_soft_deleted")), ctx.queryParam("name"),
                ctx.queryParam("status"), ctx.queryParam("source_backup_id"), ctx.queryParam("project_id"));
        int limit = paging.limit(params.limit());
        Paged<Share> found = shares.list(caller, query, new ShareService.PageQuery(params.sortKey(),
                params.ascending(), limit, params.offset(), params.marker()));
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("shares");
        for (Share share : found.items()) {
            items.add(detail ? ShareView.detail(share, Requests.version(ctx), caller.isAdmin(), publicUrl.base())
                    : ShareView.summary(share, publicUrl.base()));
        }
        if (found.more() && !found.items().isEmpty()) {
            paging.addNext(ctx, out, limit, found.items().get(found.items().size() - 1).id(), "shares_links");
        }
        Responses.json(ctx, 200, out);
    }

    private void show(Context ctx) {
        RequestContext caller = Requests.caller(ctx);
        Share share = shares.get(caller, ctx.pathParam("share_id"));
        ObjectNode out = Json.object();
        out.set("share", ShareView.detail(share, Requests.version(ctx), caller.isAdmin(), publicUrl.base()));
        Responses.json(ctx, 200, out);
    }

    private void exportLocations(Context ctx) {
        Requests.requireVersion(ctx, ApiVersion.EXPORT_LOCATIONS);
        RequestContext caller = Requests.caller(ctx);
        Share share = shares.get(caller, ctx.pathParam("share_id"));
        ObjectNode out = Json.object();
        out.putArray("export_locations").add(ShareView.exportLocation(share, caller.isAdmin()));
        Responses.json(ctx, 200, out);
    }

    private void exportLocation(Context ctx) {
        Requests.requireVersion(ctx, ApiVersion.EXPORT_LOCATIONS);
        RequestContext caller = Requests.caller(ctx);
        Share share = shares.get(caller, ctx.pathParam("share_id"));
        String id = ctx.pathParam("export_location_id");
        if (!ShareView.exportLocationId(share).equals(id)) {
            throw ApiError.notFound("Export location " + id + " not found.");
        }
        ObjectNode out = Json.object();
        out.set("export_location", ShareView.exportLocation(share, caller.isAdmin()));
        Responses.json(ctx, 200, out);
    }

    private static String required(JsonNode share, String field) {
        if (!share.has(field)) {
            throw ApiError.badRequest("Required parameter " + field + " not found.");
        }
        String value = RequestBodies.text(share, field, LONGEST_EXPORT_PATH);
        if (value == null || value.isBlank()) {
            throw ApiError.badRequest("Required parameter " + field + " is empty.");
        }
        return value.trim();
    }

    /**
     * {@code export_path} exactly as sent (not trimmed: the share service refuses whitespace anywhere in it, and
     * says which forms it takes), at most {@link #LONGEST_EXPORT_PATH} characters.
     */
    private static String exportPath(JsonNode share) {
        JsonNode value = share.get("export_path");
        if (value == null) {
            throw ApiError.badRequest("Required parameter export_path not found.");
        }
        if (value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("'export_path' must be a string.");
        }
        String text = value.asText();
        if (text.length() > LONGEST_EXPORT_PATH) {
            throw ApiError.badRequest("'export_path' is " + text.length() + " characters long; it may have at most "
                    + LONGEST_EXPORT_PATH + ". Shorten it and retry.");
        }
        return text;
    }

    /** {@code field}, or its older Manila name {@code alias}, at most {@code longest} characters. */
    private static String first(JsonNode share, String field, String alias, int longest) {
        String value = RequestBodies.text(share, field, longest);
        return value != null ? value : RequestBodies.text(share, alias, longest);
    }

    /** A share's size in GiB; a managed share must have one (Ferry has no backend to ask for it). */
    private static int size(JsonNode value) {
        String hint = "give 'size' in GiB as a positive integer, e.g. \"size\": 10 (Ferry cannot find out a "
                + "managed share's size by itself).";
        if (value == null || value.isNull()) {
            throw ApiError.badRequest("'size' is required: " + hint);
        }
        long size;
        if (value.isIntegralNumber()) {
            size = value.asLong();
        } else if (value.isTextual() && value.asText().trim().matches("\\d{1,10}")) {
            size = Long.parseLong(value.asText().trim());
        } else {
            throw ApiError.badRequest("Invalid 'size' " + value + ": " + hint);
        }
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw ApiError.badRequest("Invalid 'size' " + value + ": " + hint);
        }
        return (int) size;
    }
}
