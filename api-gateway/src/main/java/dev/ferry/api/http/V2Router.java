package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Registers each route twice, as Manila's ProjectMapper does: {@code /v2/<path>} and
 * {@code /v2/{project_id}/<path>}; a project id that is not the caller's is 400 "Malformed request url"
 * (admins may name any project). Register fixed paths before the parameterised ones they shadow.
 */
public final class V2Router {
    private final RoutesConfig routes;

    public V2Router(RoutesConfig routes) {
        this.routes = routes;
    }

    public void get(String path, Handler handler) {
        routes.get("/v2" + path, handler);
        routes.get("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    public void post(String path, Handler handler) {
        routes.post("/v2" + path, handler);
        routes.post("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    public void put(String path, Handler handler) {
        routes.put("/v2" + path, handler);
        routes.put("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    public void delete(String path, Handler handler) {
        routes.delete("/v2" + path, handler);
        routes.delete("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    private static void scoped(Context ctx, Handler handler) throws Exception {
        RequestContext caller = Requests.caller(ctx);
        if (!caller.isAdmin() && !ctx.pathParam("project_id").equals(caller.projectId())) {
            throw ApiError.badRequest("Malformed request url");
        }
        handler.handle(ctx);
    }
}
