package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.service.MessageQueries;
import dev.ferry.messages.Json;
import io.javalin.http.Context;

/** {@code /v2/messages...}: from 2.37, as in Manila. */
public final class MessageRoutes {
    private final MessageQueries messages;

    public MessageRoutes(MessageQueries messages) {
        this.messages = messages;
    }

    public void register(V2Router router) {
        router.get("/messages", this::list);
        router.get("/messages/{message_id}", this::show);
    }

    private void list(Context ctx) {
        Requests.requireVersion(ctx, ApiVersion.MESSAGES);
        UserMessageRepository.Filter filter = new UserMessageRepository.Filter(null, ctx.queryParam("resource_id"),
                ctx.queryParam("resource_type"), ctx.queryParam("action_id"), ctx.queryParam("detail_id"),
                ctx.queryParam("request_id"), ctx.queryParam("message_level"));
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("messages");
        for (UserMessage message : messages.list(Requests.caller(ctx), filter)) {
            items.add(MessageView.detail(message, Requests.baseUrl(ctx)));
        }
        Responses.json(ctx, 200, out);
    }

    private void show(Context ctx) {
        Requests.requireVersion(ctx, ApiVersion.MESSAGES);
        UserMessage message = messages.get(Requests.caller(ctx), ctx.pathParam("message_id"));
        ObjectNode out = Json.object();
        out.set("message", MessageView.detail(message, Requests.baseUrl(ctx)));
        Responses.json(ctx, 200, out);
    }
}
