package dev.ferry.api.jobs.kinds;

import dev.ferry.api.model.UserMessageAction;

/**
 * Where the user message about a job goes: the action it is about, the resource ({@link #SHARE} or
 * {@link #SHARE_BACKUP}) and its project ({@code projectId} null: the resource is gone, nobody to tell).
 */
public record Notice(UserMessageAction action, String resourceType, String resourceId, String projectId) {
    /** Manila's resource type for share messages. */
    public static final String SHARE = "SHARE";
    /** Ferry's own, for a backup's creation or deletion (Manila records none). */
    public static final String SHARE_BACKUP = "SHARE_BACKUP";
}
