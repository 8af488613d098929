package dev.ferry.api.model;

import java.time.LocalDateTime;

/** A row of {@code user_messages}: why an asynchronous operation failed, as Manila's /messages shows it. */
public record UserMessage(String id, String projectId, String requestId, String resourceType, String resourceId,
                          String actionId, String detailId, String messageLevel, LocalDateTime createdAt,
                          LocalDateTime expiresAt) {
}
