package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.db.BackupRepository;
import dev.ferry.api.model.Backup;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.BackupBrowsing;
import dev.ferry.api.service.BackupChanges;
import dev.ferry.api.service.BackupContents;
import dev.ferry.api.service.BackupCreationService;
import dev.ferry.api.service.BackupDeletionService;
import dev.ferry.api.service.BackupQueries;
import dev.ferry.api.service.RestoreBody;
import dev.ferry.api.service.BackupVerification;
import dev.ferry.api.service.RestoreService;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloTime;
import dev.ferry.messages.RequestContext;
import io.javalin.http.Context;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v2/share-backups...}: experimental, from 2.80. */
public final class BackupRoutes {
    /** Manila's display_name and our backup_type column lengths. */
    static final int LONGEST_NAME = 255;
    static final int LONGEST_DESCRIPTION = 4096;
    static final int LONGEST_BACKUP_TYPE = 32;
    private final BackupQueries queries;
    private final BackupCreationService creation;
    private final RestoreService restores;
    private final BackupChanges changes;
    private final BackupDeletionService deletion;
    private final BackupVerification verification;
    private final BackupBrowsing browsing;
    private final Paging paging;

    /** Lists are paged by {@code paging}; without the verify action and {@code /files}. */
    public BackupRoutes(BackupQueries queries, BackupCreationService creation, RestoreService restores,
                        BackupChanges changes, BackupDeletionService deletion, Paging paging) {
        this(queries, creation, restores, changes, deletion, null, null, paging);
    }

    /** Lists are paged by {@code paging}; {@code verification} and {@code browsing} null leave those out. */
    public BackupRoutes(BackupQueries queries, BackupCreationService creation, RestoreService restores,
                        BackupChanges changes, BackupDeletionService deletion, BackupVerification verification,
                        BackupBrowsing browsing, Paging paging) {
        this.verification = verification;
        this.browsing = browsing;
        this.paging = paging;
        this.queries = queries;
        this.creation = creation;
        this.restores = restores;
        this.changes = changes;
        this.deletion = deletion;
    }

    public void register(V2Router router) {
        router.get("/share-backups", ctx -> list(ctx, false));
        router.get("/share-backups/detail", ctx -> list(ctx, true));
        router.get("/share-backups/{backup_id}", this::show);
        router.post("/share-backups", this::create);
        router.put("/share-backups/{backup_id}", this::update);
        router.delete("/share-backups/{backup_id}", this::delete);
        router.post("/share-backups/{backup_id}/action", this::action);
        if (browsing != null) {
            router.get("/share-backups/{backup_id}/files", this::files);
        }
    }

    /**
     * Ferry's {@code GET /v2/share-backups/{id}/files?path=<folder>&limit=&offset=}: one page of the folder's entries
     * from the backup's manifest, with a next link while more follow.
     */
    private void files(Context ctx) {
        Requests.requireBackupApi(ctx);
        RequestContext caller = Requests.caller(ctx);
        int limit = paging.limit(positive(ctx, "limit"));
        Integer offset = notNegative(ctx, "offset");
        long from = offset == null ? 0 : offset;
        BackupContents.Page page = browsing.browse(caller, ctx.pathParam("backup_id"), ctx.queryParam("path"), limit,
                from);
        ObjectNode out = Json.object();
        ArrayNode files = out.putArray("files");
        for (BackupContents.File file : page.files()) {
            ObjectNode entry = files.addObject();
            entry.put("path", file.path());
            entry.put("type", file.type());
            entry.put("size", file.size());
            entry.put("mode", file.mode());
            entry.put("mtime", OsloTime.format(LocalDateTime.ofEpochSecond(Math.floorDiv(file.mtimeNanos(),
                    1_000_000_000L), (int) Math.floorMod(file.mtimeNanos(), 1_000_000_000L), ZoneOffset.UTC)));
            entry.put("checksum", file.checksum());
        }
        if (page.more()) {
            paging.addNextOffset(ctx, out, limit, from + page.files().size(), "files_links");
        }
        Responses.json(ctx, 200, out);
    }

    private static Integer positive(Context ctx, String param) {
        Integer n = notNegative(ctx, param);
        if (n != null && n == 0) {
            throw ApiError.badRequest("Invalid '" + param + "' value '0': use a positive integer.");
        }
        return n;
    }

    private static Integer notNegative(Context ctx, String param) {
        String value = ctx.queryParam(param);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.badRequest("Invalid '" + param + "' value '" + value + "': use a non-negative integer.");
    }

    private void list(Context ctx, boolean detail) {
        Requests.requireBackupApi(ctx);
        RequestContext caller = Requests.caller(ctx);
        ListParams params = ListParams.read(ctx, "created_at", BackupRepository.SORT_KEYS.keySet());
        boolean allTenants = RequestBodies.isTrue(params.get("all_tenants"))
                || RequestBodies.isTrue(params.get("all_projects"));
        int limit = paging.limit(params.limit());
        BackupQueries.Listed found = queries.list(caller, new BackupQueries.ListQuery(params.values(), allTenants,
                params.sortKey(), params.ascending(), limit, params.offset(), params.marker()));
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("share_backups");
        for (Backup backup : found.backups()) {
            items.add(detail ? BackupView.detail(backup, Requests.version(ctx), caller.isAdmin())
                    : BackupView.summary(backup));
        }
        List<Backup> page = found.backups();
        if (found.more() && !page.isEmpty()) {
            // Manila's key (manila/api/views/share_backups.py) and the plural form of its other lists
            paging.addNext(ctx, out, limit, page.get(page.size() - 1).id(), "share_backup_links",
                    "share_backups_links");
        }
        Responses.json(ctx, 200, out);
    }

    private void show(Context ctx) {
        Requests.requireBackupApi(ctx);
        RequestContext caller = Requests.caller(ctx);
        Backup backup = queries.get(caller, ctx.pathParam("backup_id"));
        ObjectNode out = Json.object();
        out.set("share_backup", BackupView.detail(backup, Requests.version(ctx), caller.isAdmin()));
        Responses.json(ctx, 200, out);
    }

    private void create(Context ctx) {
        Requests.requireBackupApi(ctx);
        RequestContext caller = Requests.caller(ctx);
        JsonNode spec = shareBackup(RequestBodies.json(ctx));
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode given = spec.get("backup_options");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw ApiError.badRequest("'backup_options' must be an object, e.g. {} or {\"backup_type\": \"daily\"}.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> option = it.next();
                options.put(option.getKey(), option.getValue().isNull() ? null : option.getValue().asText());
            }
            if (given.has("backup_type")) {
                RequestBodies.text(given, "backup_type", LONGEST_BACKUP_TYPE);
            }
        }
        JsonNode shareId = spec.get("share_id");
        if (shareId != null && !shareId.isNull() && !shareId.isValueNode()) {
            throw ApiError.badRequest("'share_id' must be a string: the ID of the share to back up.");
        }
        Backup backup = creation.create(caller, new BackupCreationService.CreateRequest(
                shareId == null || shareId.isNull() ? null : shareId.asText(),
                RequestBodies.text(spec, "name", LONGEST_NAME),
                RequestBodies.text(spec, "description", LONGEST_DESCRIPTION), options));
        ObjectNode out = Json.object();
        out.set("share_backup", BackupView.detail(backup, Requests.version(ctx), caller.isAdmin()));
        Responses.json(ctx, 202, out);
    }

    private void update(Context ctx) {
        Requests.requireBackupApi(ctx);
        RequestContext caller = Requests.caller(ctx);
        JsonNode spec = shareBackup(RequestBodies.json(ctx));
        BackupChanges.Update update = new BackupChanges.Update(spec.has("name"),
                RequestBodies.text(spec, "name", LONGEST_NAME), spec.has("description"),
                RequestBodies.text(spec, "description", LONGEST_DESCRIPTION));
        Backup backup = changes.update(caller, ctx.pathParam("backup_id"), update);
        ObjectNode out = Json.object();
        out.set("share_backup", BackupView.detail(backup, Requests.version(ctx), caller.isAdmin()));
        Responses.json(ctx, 200, out);
    }

    /** 202 with an empty body, as Manila answers; the backup is deleting until the data node is done. */
    private void delete(Context ctx) {
        Requests.requireBackupApi(ctx);
        deletion.delete(Requests.caller(ctx), ctx.pathParam("backup_id"));
        ctx.status(202);
    }

    /** The {@code share_backup} object of a create or update body; else 422, as Manila answers. */
    private static JsonNode shareBackup(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("share_backup").isObject()) {
            throw ApiError.unprocessable("Body does not contain 'share_backup' information.");
        }
        return body.get("share_backup");
    }

    private void action(Context ctx) {
        Requests.requireBackupApi(ctx);
        RequestBodies.Action request = RequestBodies.action(ctx);
        String action = request.name();
        switch (action) {
            case "restore" -> restore(ctx, request.args());
            case "reset_status" -> resetStatus(ctx, request.args());
            case "cancel" -> {
                changes.cancel(Requests.caller(ctx), ctx.pathParam("backup_id"));
                ctx.status(202);
            }
            case "verify" -> {
                if (verification == null) {
                    throw ApiError.badRequest("There is no such action: " + action);
                }
                verification.verify(Requests.caller(ctx), ctx.pathParam("backup_id"));
                ctx.status(202);
            }
            default -> throw ApiError.badRequest("There is no such action: " + action);
        }
    }

    private void resetStatus(Context ctx, JsonNode value) {
        RequestContext caller = Requests.caller(ctx);
        String status = null;
        if (value != null && value.isObject()) {
            JsonNode given = value.get("status");
            if (given != null && !given.isNull()) {
                if (!given.isTextual()) {
                    throw ApiError.badRequest("Invalid state. Valid states: " + String.join(", ",
                            BackupChanges.RESETTABLE.stream().map(s -> s.wire()).toList()) + ".");
                }
                status = given.asText();
            }
        } else if (value != null && !value.isNull()) {
            throw ApiError.badRequest("Malformed request body: 'reset_status' must be an object, e.g. "
                    + "{\"reset_status\": {\"status\": \"error\"}}.");
        }
        changes.resetStatus(caller, ctx.pathParam("backup_id"), status);
        ctx.status(202);
    }

    /** Manila's forms and Ferry's object form of {@code restore} ({@link RestoreBody}). */
    private void restore(Context ctx, JsonNode value) {
        RestoreBody body = RestoreBody.read(value, Requests.version(ctx).atLeast(ApiVersion.TARGETED_RESTORE));
        RestoreService.Accepted accepted = restores.restore(Requests.caller(ctx), ctx.pathParam("backup_id"), body);
        ObjectNode out = Json.object();
        out.putObject("restore").put("backup_id", accepted.backupId()).put("share_id", accepted.shareId());
        Responses.json(ctx, 202, out);
    }
}
