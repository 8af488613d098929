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
 * Records why an asynchronous job failed, as Manila's user messages (ERROR level, 30 days to live), and notices that
 * are not failures (their own level: INFO, a verified backup is sound; WARNING, something was left out). A message
 * may say more than its detail's fixed text ({@code detailText}, at most {@link #LONGEST_TEXT} characters).
 */
public final class UserMessageRecorder {
    /** Manila's {@code message_ttl} default. */
    public static final Duration TTL = Duration.ofDays(30);
    /** The length of {@code user_messages.detail_text}. */
    public static final int LONGEST_TEXT = 1024;
    public static final String ERROR = "ERROR";
    /** A notice that is not a failure, but tells of something lost (e.g. attributes the target refused). */
    public static final String WARNING = "WARNING";
    /** News that is not a failure and lost nothing (a verified backup is sound). */
    public static final String INFO = "INFO";
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

    /** An ERROR message with the detail's fixed text. */
    public UserMessage record(Connection c, UserMessageAction action, FailureDetail detail, String resourceType,
                              String resourceId, String projectId, String requestId) throws SQLException {
        return record(c, action, detail, ERROR, null, resourceType, resourceId, projectId, requestId);
    }

    /**
     * A message at {@code level} whose text is {@code detailText} (shortened to {@link #LONGEST_TEXT} characters),
     * or the detail's fixed text when it is null.
     */
    public UserMessage record(Connection c, UserMessageAction action, FailureDetail detail, String level,
                              String detailText, String resourceType, String resourceId, String projectId,
                              String requestId) throws SQLException {
        LocalDateTime now = Timestamps.now(clock);
        UserMessage message = new UserMessage(UUID.randomUUID().toString(), projectId, requestId, resourceType,
                resourceId, action.id(), detail.id(), level, now, now.plus(ttl), shortened(detailText));
        messages.insert(c, message);
        return message;
    }

    /** A message of {@code level} where {@code notice} says, with the notice's detail text when it has one. */
    public UserMessage record(Connection c, Notice notice, FailureDetail detail, String level, String requestId)
            throws SQLException {
        return record(c, notice.action(), detail, level, notice.detailText(), notice.resourceType(),
                notice.resourceId(), notice.projectId(), requestId);
    }

    /** The detail's fixed text followed by {@code specifics} (what the job found: a count, a path). */
    public static String withSpecifics(FailureDetail detail, String specifics) {
        return specifics == null || specifics.isBlank() ? null : detail.text() + " " + specifics;
    }

    private static String shortened(String text) {
        if (text == null || text.length() <= LONGEST_TEXT) {
            return text;
        }
        int end = LONGEST_TEXT - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
