package dev.ferry.api.service;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.UserMessage;
import dev.ferry.messages.RequestContext;

/** Which rows a caller may see: their project's, public shares, and everything for an admin. */
public final class Visibility {
    private Visibility() {
    }

    public static boolean canSee(RequestContext caller, Share share) {
        return caller.isAdmin() || share.isPublic() || share.projectId().equals(caller.projectId());
    }

    /** May the caller change this share's data (restore into it)? Public shares of others: no. */
    public static boolean canWrite(RequestContext caller, Share share) {
        return caller.isAdmin() || share.projectId().equals(caller.projectId());
    }

    public static boolean canSee(RequestContext caller, Backup backup) {
        return caller.isAdmin() || backup.projectId().equals(caller.projectId());
    }

    public static boolean canSee(RequestContext caller, UserMessage message) {
        return caller.isAdmin() || message.projectId().equals(caller.projectId());
    }
}
