package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Page;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.model.UserMessage;
import dev.ferry.messages.RequestContext;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Showing, listing and deleting user messages: the caller's project's (an admin's with all_tenants: every
 * project's). Expired messages are gone for the API even before the purge removes their rows.
 */
public final class MessageQueries {
    private static final Logger LOG = LoggerFactory.getLogger(MessageQueries.class);
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final UserMessageRepository messages;

    public MessageQueries(Repositories repos, Policies policies) {
        this.repos = repos;
        this.policies = policies;
        this.db = repos.database();
        this.messages = repos.messages();
    }

    public UserMessage get(RequestContext caller, String id) {
        policies.require(Policy.MESSAGE_GET, caller);
        return visible(caller, id);
    }

    /** {@code filter.projectId()} is ignored: the caller's project, or every project for an admin's all_tenants. */
    public List<UserMessage> list(RequestContext caller, UserMessageRepository.Filter filter, boolean allTenants,
                                  Page page) {
        return list(caller, filter, allTenants, page, null).items();
    }

    /**
     * One page: {@code page.limit()} messages at most (null: all), after the message {@code marker} (the last one of
     * the previous page; null: from the start) in the page's order; 400 when the caller cannot see that message.
     */
    public Paged<UserMessage> list(RequestContext caller, UserMessageRepository.Filter filter, boolean allTenants,
                                   Page page, String marker) {
        policies.require(Policy.MESSAGE_GET, caller);
        UserMessageRepository.Filter scoped = new UserMessageRepository.Filter(
                caller.isAdmin() && allTenants ? null : caller.projectId(), filter.resourceId(),
                filter.resourceType(), filter.actionId(), filter.detailId(), filter.requestId(),
                filter.messageLevel());
        LocalDateTime now = Timestamps.now(repos.clock());
        UserMessage after = marker == null ? null : db.read(c -> messages.find(c, marker))
                .filter(m -> Visibility.canSee(caller, m)).filter(m -> m.expiresAt().isAfter(now))
                .orElseThrow(() -> ApiError.badRequest("Marker " + marker + " not found: give the ID of the last "
                        + "message of the previous page, or leave 'marker' out."));
        Page fetch = new Page(page.sortColumn(), page.ascending(), Paged.fetchSize(page.limit()), page.offset());
        return Paged.cut(db.read(c -> messages.list(c, scoped, fetch, now, after)), page.limit());
    }

    public void delete(RequestContext caller, String id) {
        policies.require(Policy.MESSAGE_DELETE, caller);
        UserMessage message = visible(caller, id);
        if (!db.inTransaction(c -> messages.delete(c, message.id()))) {
            throw notFound(id);
        }
        LOG.info("user message {} deleted by {}", id, caller.userId());
    }

    private UserMessage visible(RequestContext caller, String id) {
        LocalDateTime now = Timestamps.now(repos.clock());
        Optional<UserMessage> found = db.read(c -> messages.find(c, id));
        return found.filter(m -> Visibility.canSee(caller, m)).filter(m -> m.expiresAt().isAfter(now))
                .orElseThrow(() -> notFound(id));
    }

    private static ApiError notFound(String id) {
        return ApiError.notFound("Message " + id + " could not be found.");
    }
}
