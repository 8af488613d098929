package dev.ferry.api.http;

import dev.ferry.api.db.Database;
import dev.ferry.messages.Json;
import io.javalin.config.RoutesConfig;

/** {@code GET /} (the versions document, whatever version is asked), {@code /v2}, and {@code /healthz}. */
public final class RootRoutes {
    private final Database database;
    private final PublicUrl publicUrl;

    /** The versions documents' links start with {@code publicUrl}. */
    public RootRoutes(Database database, PublicUrl publicUrl) {
        this.database = database;
        this.publicUrl = publicUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> Responses.json(ctx, 200, VersionsView.all(publicUrl.base())));
        routes.get("/v2", ctx -> Responses.json(ctx, 200, VersionsView.onlyV2(publicUrl.base())));
        routes.get("/healthz", ctx -> {
            boolean up = database.answers();
            Responses.json(ctx, up ? 200 : 503, Json.object().put("status", up ? "ok" : "database unreachable"));
        });
    }
}
