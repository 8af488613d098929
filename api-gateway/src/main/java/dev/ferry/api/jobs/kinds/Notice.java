package dev.ferry.api.jobs.kinds;

import dev.ferry.api.model.UserMessageAction;

/**
 * Where the user message about a job goes: the action it is about, the resource ({@link #SHARE} or
 * {@link #SHARE_BACKUP}) and its project ({@code projectId} null: the resource is gone, nobody to tell).
 * {@code detailText}, when not null, replaces the detail's fixed text (a verify names the damaged files).
 */
public record Notice(UserMessageAction action, String resourceType, String resourceId, String projectId,
                     String detailText) {

    /** A message with its detail's fixed text. */
    public Notice(UserMessageAction action, String resourceType, String resourceId, String projectId) {
        this(action, resourceType, resourceId, projectId, null);
    }

    /** Manila's resource type for share messages. */
    public static final String SHARE = "SHARE";
    /** Ferry's own, for a backup's creation or deletion (Manila records none). */
    public static final String SHARE_BACKUP = "SHARE_BACKUP";
}
