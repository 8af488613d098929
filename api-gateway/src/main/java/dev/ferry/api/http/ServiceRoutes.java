package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.ServiceQueries;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloTime;
import io.javalin.http.Context;

/**
 * Manila's services API for Ferry's data nodes: {@code GET /v2/os-services} up to 2.6 and
 * {@code GET /v2/services} from 2.7 (the other path answers 404 at each version, as Manila's routing does);
 * {@code disabled_reason} from 2.83 and {@code ensuring} from 2.86, as Manila's view adds them.
 */
public final class ServiceRoutes {
    private static final ApiVersion RENAMED = new ApiVersion(2, 7);
    private static final ApiVersion DISABLED_REASON = new ApiVersion(2, 83);
    private static final ApiVersion ENSURING = new ApiVersion(2, 86);
    private final ServiceQueries services;

    public ServiceRoutes(ServiceQueries services) {
        this.services = services;
    }

    public void register(V2Router router) {
        router.get("/os-services", ctx -> list(ctx, false));
        router.get("/services", ctx -> list(ctx, true));
    }

    private void list(Context ctx, boolean renamed) {
        ApiVersion version = Requests.version(ctx);
        if (version.atLeast(RENAMED) != renamed) {
            throw ApiError.noSuchResource();
        }
        ServiceQueries.Filter filter = new ServiceQueries.Filter(ctx.queryParam("binary"), ctx.queryParam("host"),
                ctx.queryParam("zone"), ctx.queryParam("state"), ctx.queryParam("status"));
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("services");
        for (ServiceQueries.Listed listed : services.list(Requests.caller(ctx), filter)) {
            ObjectNode view = items.addObject();
            view.put("id", listed.service().id());
            view.put("binary", listed.service().binary());
            view.put("host", listed.service().host());
            view.put("zone", listed.zone());
            view.put("status", listed.status());
            view.put("state", listed.state());
            view.put("updated_at", OsloTime.format(listed.service().updatedAt()));
            if (version.atLeast(DISABLED_REASON)) {
                view.putNull("disabled_reason");
            }
            if (version.atLeast(ENSURING)) {
                view.put("ensuring", false);
            }
        }
        Responses.json(ctx, 200, out);
    }
}
