package dev.ferry.api.service;

import dev.ferry.api.model.Backup;
import dev.ferry.messages.RequestContext;
import java.util.List;

/**
 * Whether a backup holds the paths a selective restore names, asked before the restore is accepted: a backup without
 * a manifest (made before Ferry recorded contents) and a path the manifest does not hold are refused with a 400
 * {@link ApiError} naming the backup or the first unknown path. Called only for a selective restore (a non-empty
 * {@code paths}), after the restore's other checks passed and outside any transaction. {@link #ACCEPT_ALL} checks
 * nothing: the data node then fails the job for an unknown path.
 */
public interface BackupPathCheck {
    BackupPathCheck ACCEPT_ALL = (caller, backup, paths) -> { };

    /** Throws a 400 {@link ApiError} when {@code backup} cannot restore {@code paths}. */
    void requireHeld(RequestContext caller, Backup backup, List<String> paths);
}
