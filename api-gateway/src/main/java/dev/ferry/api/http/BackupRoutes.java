package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.Backup;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.BackupCreationService;
import dev.ferry.api.service.BackupQueries;
import dev.ferry.api.service.RestoreService;
import dev.ferry.messages.Json;
import dev.ferry.messages.RequestContext;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v2/share-backups...}: experimental, from 2.80. */
public final class BackupRoutes {
    private final BackupQueries queries;
    private final BackupCreationService creation;
    private final RestoreService restores;

    public BackupRoutes(BackupQueries queries, BackupCreationService creation, RestoreService restores) {
        this.queries = queries;
        this.creation = creation;
        this.restores = restores;
    }

    public void register(V2Router router) {
        router.get("/share-backups", ctx -> list(ctx, false));
        router.get("/share-backups/detail", ctx -> list(ctx, true));
        router.get("/share-backups/{backup_id}", this::show);
        router.post("/share-backups", this::create);
        router.post("/share-backups/{backup_id}/action", this::action);
    }

    private void list(Context ctx, boolean detail) {
        Requests.requireBackupApi(ctx);
        RequestContext caller = Requests.caller(ctx);
        String sortDir = ctx.queryParam("sort_dir");
        if (sortDir != null && !sortDir.equals("asc") && !sortDir.equals("desc")) {
            throw ApiError.badRequest("Unknown sort direction, must be 'desc' or 'asc'");
        }
        BackupQueries.ListQuery query = new BackupQueries.ListQuery(
                RequestBodies.isTrue(ctx.queryParam("all_tenants")) || RequestBodies.isTrue(ctx.queryParam("all_projects")),
                ctx.queryParam("share_id"), ctx.queryParam("status"), ctx.queryParam("name"), "asc".equals(sortDir),
                count(ctx, "limit"), count(ctx, "offset"));
        List<Backup> found = queries.list(caller, query);
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("share_backups");
        for (Backup backup : found) {
            items.add(detail ? BackupView.detail(backup, Requests.version(ctx), caller.isAdmin())
                    : BackupView.summary(backup));
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
        JsonNode body = RequestBodies.json(ctx);
        if (body == null || !body.isObject() || !body.path("share_backup").isObject()) {
            throw ApiError.unprocessable("Body does not contain 'share_backup' information.");
        }
        JsonNode spec = body.get("share_backup");
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
        }
        JsonNode shareId = spec.get("share_id");
        Backup backup = creation.create(caller, new BackupCreationService.CreateRequest(
                shareId == null || shareId.isNull() ? null : shareId.asText(), RequestBodies.text(spec, "name"),
                RequestBodies.text(spec, "description"), options));
        ObjectNode out = Json.object();
        out.set("share_backup", BackupView.detail(backup, Requests.version(ctx), caller.isAdmin()));
        Responses.json(ctx, 202, out);
    }

    private void action(Context ctx) {
        Requests.requireBackupApi(ctx);
        JsonNode body = RequestBodies.json(ctx);
        if (body == null || !body.isObject() || body.size() != 1) {
            throw ApiError.badRequest("Malformed request body");
        }
        String action = body.fieldNames().next();
        if (!action.equals("restore")) {
            throw ApiError.badRequest("There is no such action: " + action);
        }
        restore(ctx, body.get("restore"));
    }

    private void restore(Context ctx, JsonNode value) {
        String target = null;
        if (Requests.version(ctx).atLeast(ApiVersion.TARGETED_RESTORE) && RequestBodies.truthy(value)) {
            if (!value.isTextual()) {
                throw ApiError.badRequest("Invalid restore target " + value + ": give the target share's ID as a "
                        + "string, e.g. {\"restore\": \"<share id>\"}, or null to restore into the backup's own share.");
            }
            target = value.asText();
        }
        RestoreService.Accepted accepted = restores.restore(Requests.caller(ctx), ctx.pathParam("backup_id"), target);
        ObjectNode out = Json.object();
        out.putObject("restore").put("backup_id", accepted.backupId()).put("share_id", accepted.shareId());
        Responses.json(ctx, 202, out);
    }

    private static Integer count(Context ctx, String param) {
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
}
