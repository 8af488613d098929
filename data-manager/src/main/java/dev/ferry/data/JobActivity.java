package dev.ferry.data;

import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;

/** What a job does, in words for a failure reason: {@code restoring backup b1 into share s2}. */
final class JobActivity {

    private JobActivity() {
    }

    static String of(Grant grant) {
        String backup = grant.backup() == null ? null : grant.backup().id();
        return switch (grant.kind()) {
            case RESTORE -> "restoring backup " + backup + " into share " + id(grant.target());
            case CREATE_BACKUP -> "backing up share " + id(grant.source()) + " into backup " + backup;
            case DELETE_BACKUP -> "deleting backup " + backup;
            case CREATE_SHARE -> "creating share " + id(grant.target()) + (backup == null ? "" : " from backup " + backup);
            case DELETE_SHARE -> "deleting share " + id(grant.target());
            case SHRINK_SHARE -> "shrinking share " + id(grant.target());
        };
    }

    private static String id(ShareInfo share) {
        return share == null ? "(none named)" : share.id();
    }
}
