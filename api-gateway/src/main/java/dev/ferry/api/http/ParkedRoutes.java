package dev.ferry.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.parked.ParkedMessage;
import dev.ferry.api.parked.ParkedQueue;
import dev.ferry.api.parked.Selection;
import dev.ferry.api.service.ApiError;
import dev.ferry.messages.Json;
import dev.ferry.messages.Parking;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /admin/parked...}: the messages data nodes could not process, moved to {@code ferry-parked}.
 * List, show, replay to where they came from, or purge. {@code parked} is null when this api-gateway runs
 * without a broker.
 */
public final class ParkedRoutes {
    private static final String SELECTION_HINT = "Give {\"ids\": [\"<parked message id>\", ...]} or {\"all\": true}.";
    private final ParkedQueue parked;
    private final int maxPageSize;

    /** A list shows at most {@code maxPageSize} messages (FERRY_MAX_PAGE_SIZE), and says when it left some out. */
    public ParkedRoutes(ParkedQueue parked, int maxPageSize) {
        this.parked = parked;
        this.maxPageSize = maxPageSize;
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin/parked", AdminAccess.only(this::list));
        routes.post("/admin/parked/replay", AdminAccess.only(this::replay));
        routes.post("/admin/parked/purge", AdminAccess.only(this::purge));
        routes.get("/admin/parked/{message_id}", AdminAccess.only(this::show));
    }

    private void list(Context ctx) {
        ParkedQueue.Listing listing = queue().list();
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("parked");
        List<ParkedMessage> shown = listing.messages().size() > maxPageSize
                ? listing.messages().subList(0, maxPageSize) : listing.messages();
        shown.forEach(m -> items.add(ParkedView.summary(m)));
        out.put("truncated", listing.truncated() || shown.size() < listing.messages().size());
        Responses.json(ctx, 200, out);
    }

    private void show(Context ctx) {
        String id = ctx.pathParam("message_id");
        ParkedMessage message = queue().find(id).orElseThrow(() -> ApiError.notFound("No message with id " + id
                + " is parked in " + Parking.QUEUE + ". List them with GET /admin/parked."));
        ObjectNode out = Json.object();
        out.set("parked", ParkedView.detail(message));
        Responses.json(ctx, 200, out);
    }

    private void replay(Context ctx) {
        Selection selection = selection(ctx);
        ParkedQueue.Replayed result = queue().replay(selection);
        ObjectNode out = Json.object();
        strings(out.putArray("replayed"), result.replayed());
        strings(out.putArray("not_found"), result.notFound());
        ArrayNode failed = out.putArray("failed");
        result.failed().forEach(f -> failed.addObject().put("id", f.id()).put("reason", f.reason()));
        Responses.json(ctx, 200, out);
    }

    private void purge(Context ctx) {
        Selection selection = selection(ctx);
        ParkedQueue.Purged result = queue().purge(selection);
        ObjectNode out = Json.object();
        strings(out.putArray("purged"), result.purged());
        strings(out.putArray("not_found"), result.notFound());
        Responses.json(ctx, 200, out);
    }

    private ParkedQueue queue() {
        if (parked == null) {
            throw new ApiError(503, "This api-gateway runs without a broker, so it cannot reach " + Parking.QUEUE
                    + ". Configure FERRY_AMQP_URI and restart it.");
        }
        return parked;
    }

    private static Selection selection(Context ctx) {
        JsonNode body = RequestBodies.json(ctx);
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("The body says which parked messages to act on. " + SELECTION_HINT);
        }
        JsonNode all = body.get("all");
        JsonNode ids = body.get("ids");
        if (all != null && !all.isNull() && !all.isBoolean()) {
            throw ApiError.badRequest("'all' must be true or false. " + SELECTION_HINT);
        }
        boolean everything = all != null && all.asBoolean(false);
        boolean someIds = ids != null && !ids.isNull();
        if (everything == someIds) {
            throw ApiError.badRequest((everything ? "Give either 'ids' or 'all', not both. "
                    : "Nothing is selected. ") + SELECTION_HINT);
        }
        if (everything) {
            return Selection.every();
        }
        if (!ids.isArray() || ids.isEmpty()) {
            throw ApiError.badRequest("'ids' must be a non-empty list of parked message ids. " + SELECTION_HINT);
        }
        List<String> selected = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isBlank()) {
                throw ApiError.badRequest("'ids' holds " + id + ", which is not a parked message id (a string). "
                        + SELECTION_HINT);
            }
            selected.add(id.asText());
        }
        return Selection.of(selected);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
