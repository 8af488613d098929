package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Registers each route twice, as Manila's ProjectMapper does: {@code /v2/<path>} and
 * {@code /v2/{project_id}/<path>}; a project id that is not the caller's is 400 "Malformed request url"
 * (admins may name any project). Register fixed paths before the parameterised ones they shadow.
 */
public final class V2Router {
    private final Javalin app;

    public V2Router(Javalin app) {
        this.app = app;
    }

    public void get(String path, Handler handler) {
        app.get("/v2" + path, handler);
        app.get("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    public void post(String path, Handler handler) {
        app.post("/v2" + path, handler);
        app.post("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    public void put(String path, Handler handler) {
        app.put("/v2" + path, handler);
        app.put("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    public void delete(String path, Handler handler) {
        app.delete("/v2" + path, handler);
        app.delete("/v2/{project_id}" + path, ctx -> scoped(ctx, handler));
    }

    private static void scoped(Context ctx, Handler handler) throws Exception {
        RequestContext caller = Requests.caller(ctx);
        if (!caller.isAdmin() && !ctx.pathParam("project_id").equals(caller.projectId())) {
            throw ApiError.badRequest("Malformed request url");
        }
        handler.handle(ctx);
    }
}
