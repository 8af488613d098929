package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.Json;
import dev.ferry.messages.OsloTime;

/**
 * Manila's message view: {@code user_message} is "<action text>: <detail text>" (the message's own detail text
 * when it has one, e.g. who cancelled a job).
 */
public final class MessageView {
    private MessageView() {
    }

    public static ObjectNode detail(UserMessage message, String baseUrl) {
        ObjectNode view = Json.object();
        view.put("id", message.id());
        view.put("resource_type", message.resourceType());
        view.put("resource_id", message.resourceId());
        view.put("action_id", message.actionId());
        view.put("user_message", UserMessageAction.textOf(message.actionId()) + ": "
                + (message.detailText() != null ? message.detailText()
                        : FailureDetail.fromId(message.detailId()).text()));
        view.put("message_level", message.messageLevel());
        view.put("detail_id", message.detailId());
        view.put("project_id", message.projectId());
        view.put("request_id", message.requestId());
        view.put("created_at", OsloTime.format(message.createdAt()));
        view.put("expires_at", OsloTime.format(message.expiresAt()));
        view.putArray("links").addObject()
                .put("href", baseUrl + "/v2/" + message.projectId() + "/messages/" + message.id())
                .put("rel", "self");
        return view;
    }
}
