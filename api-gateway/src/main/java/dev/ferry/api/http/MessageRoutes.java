package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.db.Page;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.service.MessageQueries;
import dev.ferry.api.service.Paged;
import dev.ferry.messages.Json;
import io.javalin.http.Context;

/** {@code /v2/messages...}: from 2.37, as in Manila. */
public final class MessageRoutes {
    private final MessageQueries messages;
    private final PublicUrl publicUrl;
    private final Paging paging;

    /** Links start with {@code publicUrl}; lists are paged by {@code paging}. */
    public MessageRoutes(MessageQueries messages, PublicUrl publicUrl, Paging paging) {
        this.messages = messages;
        this.publicUrl = publicUrl;
        this.paging = paging;
    }

    public void register(V2Router router) {
        router.get("/messages", this::list);
        router.get("/messages/{message_id}", this::show);
        router.delete("/messages/{message_id}", this::delete);
    }

    private void list(Context ctx) {
        Requests.requireVersion(ctx, ApiVersion.MESSAGES);
        ListParams params = ListParams.read(ctx, "created_at", UserMessageRepository.SORT_KEYS);
        UserMessageRepository.Filter filter = new UserMessageRepository.Filter(null, params.get("resource_id"),
                params.get("resource_type"), params.get("action_id"), params.get("detail_id"),
                params.get("request_id"), params.get("message_level"));
        boolean allTenants = RequestBodies.isTrue(params.get("all_tenants"))
                || RequestBodies.isTrue(params.get("all_projects"));
        int limit = paging.limit(params.limit());
        Page page = new Page(params.sortKey(), params.ascending(), limit, params.offset());
        Paged<UserMessage> found = messages.list(Requests.caller(ctx), filter, allTenants, page, params.marker());
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("messages");
        for (UserMessage message : found.items()) {
            items.add(MessageView.detail(message, publicUrl.base()));
        }
        if (found.more() && !found.items().isEmpty()) {
            paging.addNext(ctx, out, limit, found.items().get(found.items().size() - 1).id(), "messages_links");
        }
        Responses.json(ctx, 200, out);
    }

    private void show(Context ctx) {
        Requests.requireVersion(ctx, ApiVersion.MESSAGES);
        UserMessage message = messages.get(Requests.caller(ctx), ctx.pathParam("message_id"));
        ObjectNode out = Json.object();
        out.set("message", MessageView.detail(message, publicUrl.base()));
        Responses.json(ctx, 200, out);
    }

    private void delete(Context ctx) {
        Requests.requireVersion(ctx, ApiVersion.MESSAGES);
        messages.delete(Requests.caller(ctx), ctx.pathParam("message_id"));
        ctx.status(204);
    }
}
