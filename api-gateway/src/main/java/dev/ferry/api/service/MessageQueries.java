package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.model.UserMessage;
import dev.ferry.messages.RequestContext;
import java.util.List;

/** Showing and listing user messages: the caller's project's, or all for an admin. */
public final class MessageQueries {
    private final Database db;
    private final UserMessageRepository messages;

    public MessageQueries(Repositories repos) {
        this.db = repos.database();
        this.messages = repos.messages();
    }

    public UserMessage get(RequestContext caller, String id) {
        Policy.MESSAGE_GET.require(caller);
        return db.read(c -> messages.find(c, id)).filter(m -> Visibility.canSee(caller, m))
                .orElseThrow(() -> ApiError.notFound("Message " + id + " could not be found."));
    }

    /** {@code filter.projectId()} is ignored: non-admins see their project, admins everything. */
    public List<UserMessage> list(RequestContext caller, UserMessageRepository.Filter filter) {
        Policy.MESSAGE_GET.require(caller);
        UserMessageRepository.Filter scoped = new UserMessageRepository.Filter(
                caller.isAdmin() ? null : caller.projectId(), filter.resourceId(), filter.resourceType(),
                filter.actionId(), filter.detailId(), filter.requestId(), filter.messageLevel());
        return db.read(c -> messages.list(c, scoped));
    }
}
