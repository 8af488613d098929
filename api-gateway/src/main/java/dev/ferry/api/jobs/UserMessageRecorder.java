package dev.ferry.api.jobs;

import dev.ferry.api.db.Timestamps;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.jobs.kinds.Notice;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.model.UserMessageAction;
import dev.ferry.messages.FailureDetail;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.UUID;

/**
 * Records why an asynchronous job failed, as Manila's user messages (ERROR level, 30 days to live), and news that is
 * not a failure (INFO: a verified backup is sound).
 */
public final class UserMessageRecorder {
    /** Manila's {@code message_ttl} default. */
    public static final Duration TTL = Duration.ofDays(30);
    private final UserMessageRepository messages;
    private final Clock clock;
    private final Duration ttl;

    /** Messages live {@link #TTL}. */
    public UserMessageRecorder(UserMessageRepository messages, Clock clock) {
        this(messages, clock, TTL);
    }

    /** Messages live {@code ttl} ({@code FERRY_MESSAGE_TTL}). */
    public UserMessageRecorder(UserMessageRepository messages, Clock clock, Duration ttl) {
        this.messages = messages;
        this.clock = clock;
        this.ttl = ttl;
    }

    public UserMessage record(Connection c, UserMessageAction action, FailureDetail detail, String resourceType,
                              String resourceId, String projectId, String requestId) throws SQLException {
        return record(c, new Notice(action, resourceType, resourceId, projectId), detail, "ERROR", requestId);
    }

    /**
     * A message of {@code level} ({@code ERROR}, or {@code INFO} for news that is not a failure) where {@code notice}
     * says, with its detail text when it has one.
     */
    public UserMessage record(Connection c, Notice notice, FailureDetail detail, String level, String requestId)
            throws SQLException {
        LocalDateTime now = Timestamps.now(clock);
        UserMessage message = new UserMessage(UUID.randomUUID().toString(), notice.projectId(), requestId,
                notice.resourceType(), notice.resourceId(), notice.action().id(), detail.id(), level, now,
                now.plus(ttl), notice.detailText());
        messages.insert(c, message);
        return message;
    }
}
