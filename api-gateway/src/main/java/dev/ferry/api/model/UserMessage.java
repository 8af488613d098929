package dev.ferry.api.model;

import java.time.LocalDateTime;

/**
 * A row of {@code user_messages}: why an asynchronous operation failed, as Manila's /messages shows it.
 * {@code detailText} replaces the detail's fixed text when a message says more (who cancelled a job); null
 * otherwise.
 */
public record UserMessage(String id, String projectId, String requestId, String resourceType, String resourceId,
                          String actionId, String detailId, String messageLevel, LocalDateTime createdAt,
                          LocalDateTime expiresAt, String detailText) {

    /** A message with its detail's fixed text. */
    public UserMessage(String id, String projectId, String requestId, String resourceType, String resourceId,
                       String actionId, String detailId, String messageLevel, LocalDateTime createdAt,
                       LocalDateTime expiresAt) {
        this(id, projectId, requestId, resourceType, resourceId, actionId, detailId, messageLevel, createdAt,
                expiresAt, null);
    }
}
