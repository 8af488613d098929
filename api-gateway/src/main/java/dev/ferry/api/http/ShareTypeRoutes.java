package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.db.ShareTypeRepository.Publicity;
import dev.ferry.api.model.ShareType;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.ExtraSpecs;
import dev.ferry.api.service.ShareTypeService;
import dev.ferry.messages.Json;
import dev.ferry.messages.RequestContext;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /v2/types...}: Manila's share types, their extra specs and the access list of private types. Shows carry
 * the type twice, as {@code share_type} and {@code volume_type}, as Manila's do.
 */
public final class ShareTypeRoutes {
    /** webob's text for a body that is not what the route takes. */
    private static final String MALFORMED = "The server could not comply with the request since it is either "
            + "malformed or otherwise incorrect.";
    /** Below 2.24 a new type gets snapshot_support True unless it says otherwise. */
    private static final ApiVersion NO_SNAPSHOT_DEFAULT = new ApiVersion(2, 24);
    private static final ApiVersion EXTRA_SPECS_FILTER = new ApiVersion(2, 43);
    /** Types can be renamed, described and made public or private from 2.50. */
    private static final ApiVersion UPDATE = new ApiVersion(2, 50);
    private final ShareTypeService types;

    public ShareTypeRoutes(ShareTypeService types) {
        this.types = types;
    }

    public void register(V2Router router) {
        router.get("/types", this::list);
        router.post("/types", this::create);
        router.get("/types/default", this::showDefault);
        router.get("/types/{share_type_id}", this::show);
        router.put("/types/{share_type_id}", this::update);
        router.delete("/types/{share_type_id}", this::delete);
        router.post("/types/{share_type_id}/action", this::action);
        router.get("/types/{share_type_id}/share_type_access", this::access);
        router.get("/types/{share_type_id}/os-share-type-access", this::access);
        router.get("/types/{share_type_id}/extra_specs", this::extraSpecs);
        router.post("/types/{share_type_id}/extra_specs", this::setExtraSpecs);
        router.get("/types/{share_type_id}/extra_specs/{key}", this::extraSpec);
        router.put("/types/{share_type_id}/extra_specs/{key}", this::updateExtraSpec);
        router.delete("/types/{share_type_id}/extra_specs/{key}", this::deleteExtraSpec);
    }

    private void list(Context ctx) {
        RequestContext caller = Requests.caller(ctx);
        if (ctx.queryParam("extra_specs") != null) {
            if (!Requests.version(ctx).atLeast(EXTRA_SPECS_FILTER)) {
                throw ApiError.badRequest("Filter by 'extra_specs' is not supported by this microversion. Use 2.43 "
                        + "or greater microversion to be able to use filter search by 'extra_specs.");
            }
            throw ApiError.badRequest("Ferry does not filter share types by 'extra_specs'; list them all and "
                    + "look at their extra_specs.");
        }
        ArrayNode items = Json.mapper().createArrayNode();
        for (ShareType type : types.list(caller, publicity(ctx.queryParam("is_public")))) {
            items.add(view(ctx, caller, type));
        }
        ObjectNode out = Json.object();
        out.set("share_types", items);
        out.set("volume_types", items);
        Responses.json(ctx, 200, out);
    }

    /** Manila's {@code parse_is_public}: absent is public only, {@code all} both, else a strict boolean. */
    private static Publicity publicity(String isPublic) {
        if (isPublic == null) {
            return Publicity.PUBLIC;
        }
        if (isPublic.trim().toLowerCase(Locale.ROOT).equals("all")) {
            return Publicity.ALL;
        }
        try {
            return RequestBodies.strictBoolean(Json.mapper().getNodeFactory().textNode(isPublic), "is_public")
                    ? Publicity.PUBLIC : Publicity.PRIVATE;
        } catch (ApiError e) {
            throw ApiError.badRequest("Invalid is_public filter [" + isPublic + "]: use true, false or all.");
        }
    }

    private void show(Context ctx) {
        RequestContext caller = Requests.caller(ctx);
        shown(ctx, caller, types.get(caller, ctx.pathParam("share_type_id")));
    }

    private void showDefault(Context ctx) {
        RequestContext caller = Requests.caller(ctx);
        shown(ctx, caller, types.defaultType(caller));
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.json(ctx);
        JsonNode type = body == null || !body.isObject() ? null
                : body.path("share_type").isObject() ? body.get("share_type")
                : body.path("volume_type").isObject() ? body.get("volume_type") : null;
        if (type == null) {
            throw ApiError.badRequest(MALFORMED + " Send {\"share_type\": {\"name\": ..., \"extra_specs\": "
                    + "{\"driver_handles_share_servers\": false}}}.");
        }
        ApiVersion version = Requests.version(ctx);
        String description = RequestBodies.text(type, "description");
        if (description != null && !description.isEmpty() && !version.atLeast(ShareTypeView.DESCRIPTION)) {
            throw ApiError.badRequest("'description' key is not supported by this microversion. Use 2.41 or greater "
                    + "microversion to be able to use 'description' in share type.");
        }
        JsonNode isPublic = type.has("os-share-type-access:is_public") ? type.get("os-share-type-access:is_public")
                : type.get("share_type_access:is_public");
        boolean publicType = isPublic == null || isPublic.isNull()
                || RequestBodies.strictBoolean(isPublic, "share_type_access:is_public");
        Map<String, String> specs = new LinkedHashMap<>(ExtraSpecs.read(type.get("extra_specs")));
        if (!version.atLeast(NO_SNAPSHOT_DEFAULT)) {
            specs.putIfAbsent(ExtraSpecs.SNAPSHOT_SUPPORT, "True");
        }
        RequestContext caller = Requests.caller(ctx);
        ShareType created = types.create(caller, new ShareTypeService.CreateRequest(RequestBodies.text(type, "name"),
                description == null || description.isEmpty() ? null : description, publicType, specs));
        shown(ctx, caller, created);
    }

    /** From 2.50: a new name, description ("" clears it) or {@code share_type_access:is_public}. */
    private void update(Context ctx) {
        Requests.requireVersion(ctx, UPDATE);
        JsonNode body = RequestBodies.json(ctx);
        JsonNode type = body == null || !body.isObject() ? null
                : body.path("share_type").isObject() ? body.get("share_type")
                : body.path("volume_type").isObject() ? body.get("volume_type") : null;
        if (type == null) {
            throw ApiError.badRequest(MALFORMED + " Send {\"share_type\": {\"name\": ..., \"description\": ..., "
                    + "\"share_type_access:is_public\": ...}}.");
        }
        Boolean isPublic = null;
        JsonNode publicity = type.get("share_type_access:is_public");
        if (publicity != null && !publicity.isNull()) {
            try {
                isPublic = RequestBodies.strictBoolean(publicity, "share_type_access:is_public");
            } catch (ApiError e) {
                throw ApiError.badRequest("share_type_access:is_public has a non-boolean value.");
            }
        }
        RequestContext caller = Requests.caller(ctx);
        shown(ctx, caller, types.update(caller, ctx.pathParam("share_type_id"), new ShareTypeService.UpdateRequest(
                RequestBodies.text(type, "name"), RequestBodies.text(type, "description"), isPublic)));
    }

    private void delete(Context ctx) {
        types.delete(Requests.caller(ctx), ctx.pathParam("share_type_id"));
        ctx.status(202);
    }

    /** {@code addProjectAccess} and {@code removeProjectAccess}, each with {@code {"project": "<project id>"}}. */
    private void action(Context ctx) {
        RequestBodies.Action request = RequestBodies.action(ctx);
        String action = request.name();
        JsonNode args = request.args();
        RequestContext caller = Requests.caller(ctx);
        String id = ctx.pathParam("share_type_id");
        if (!action.equals("addProjectAccess") && !action.equals("removeProjectAccess")) {
            throw ApiError.badRequest("There is no such action: " + action);
        }
        if (args == null || !args.isObject()) {
            throw ApiError.badRequest(MALFORMED + " Send {\"" + action + "\": {\"project\": \"<project id>\"}}.");
        }
        String project = args.path("project").isTextual() ? args.get("project").asText() : null;
        if (action.equals("addProjectAccess")) {
            types.addProject(caller, id, project);
        } else {
            types.removeProject(caller, id, project);
        }
        ctx.status(202);
    }

    private void access(Context ctx) {
        String id = ctx.pathParam("share_type_id");
        ArrayNode list = Json.mapper().createArrayNode();
        for (String project : types.projects(Requests.caller(ctx), id)) {
            list.addObject().put("share_type_id", id).put("project_id", project);
        }
        ObjectNode out = Json.object();
        out.set("share_type_access", list);
        Responses.json(ctx, 200, out);
    }

    private void extraSpecs(Context ctx) {
        ObjectNode out = Json.object();
        ObjectNode specs = out.putObject("extra_specs");
        types.extraSpecs(Requests.caller(ctx), ctx.pathParam("share_type_id")).forEach(specs::put);
        Responses.json(ctx, 200, out);
    }

    private void setExtraSpecs(Context ctx) {
        JsonNode body = RequestBodies.json(ctx);
        if (body == null || !body.isObject() || !body.path("extra_specs").isObject()) {
            throw ApiError.badRequest(MALFORMED + " Send {\"extra_specs\": {\"<key>\": \"<value>\"}}.");
        }
        Map<String, String> set = types.setExtraSpecs(Requests.caller(ctx), ctx.pathParam("share_type_id"),
                ExtraSpecs.read(body.get("extra_specs")));
        ObjectNode out = Json.object();
        ObjectNode specs = out.putObject("extra_specs");
        set.forEach(specs::put);
        Responses.json(ctx, 200, out);
    }

    private void extraSpec(Context ctx) {
        String key = ctx.pathParam("key");
        String value = types.extraSpec(Requests.caller(ctx), ctx.pathParam("share_type_id"), key);
        ObjectNode out = Json.object();
        out.put(key, value);
        Responses.json(ctx, 200, out);
    }

    private void updateExtraSpec(Context ctx) {
        String key = ctx.pathParam("key");
        JsonNode body = RequestBodies.json(ctx);
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ApiError.badRequest("Request body empty");
        }
        if (!body.has(key)) {
            throw ApiError.badRequest("Request body and URI mismatch");
        }
        if (body.size() > 1) {
            throw ApiError.badRequest("Request body contains too many items");
        }
        Map<String, String> set = types.updateExtraSpec(Requests.caller(ctx), ctx.pathParam("share_type_id"),
                ExtraSpecs.read(body));
        ObjectNode out = Json.object();
        set.forEach(out::put);
        Responses.json(ctx, 200, out);
    }

    private void deleteExtraSpec(Context ctx) {
        types.deleteExtraSpec(Requests.caller(ctx), ctx.pathParam("share_type_id"), ctx.pathParam("key"),
                !Requests.version(ctx).atLeast(NO_SNAPSHOT_DEFAULT));
        ctx.status(202);
    }

    private void shown(Context ctx, RequestContext caller, ShareType type) {
        ObjectNode view = view(ctx, caller, type);
        ObjectNode out = Json.object();
        out.set("share_type", view);
        out.set("volume_type", view);
        Responses.json(ctx, 200, out);
    }

    private ObjectNode view(Context ctx, RequestContext caller, ShareType type) {
        return ShareTypeView.of(type, Requests.version(ctx), caller.isAdmin(), types.isDefault(type));
    }
}
