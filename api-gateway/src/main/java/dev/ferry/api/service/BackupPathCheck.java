package dev.ferry.api.service;

import dev.ferry.api.model.Backup;
import dev.ferry.messages.RequestContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a backup can restore what a selective restore names, asked before the restore is accepted: a backup without
 * a manifest (made before Ferry recorded contents) and a path the manifest does not hold are refused with a 400
 * {@link ApiError} naming the backup or the unknown paths. Called for a selective restore (paths given, or
 * {@code delete_extra}), after the restore's other checks passed and outside any transaction. {@link #ACCEPT_ALL}
 * checks nothing: the data node then fails the job for an unknown path; {@link ManifestPathCheck} asks a data node.
 */
public interface BackupPathCheck {
    BackupPathCheck ACCEPT_ALL = (caller, backup, paths) -> { };

    /** Throws a 400 {@link ApiError} when {@code backup} cannot restore {@code paths} (empty: the whole backup). */
    void requireHeld(RequestContext caller, Backup backup, List<String> paths);

    /** The answer to a data node's refusal: 400 for no manifest or the request's fault, else 500 saying why. */
    static ApiError answer(String backupId, BackupContents.Refused refused, String prefix) {
        if (refused.noManifest()) {
            return ApiError.badRequest(ManifestRequired.message(backupId));
        }
        if (refused.byRequest()) {
            return ApiError.badRequest(prefix + refused.getMessage());
        }
        LoggerFactory.getLogger(BackupPathCheck.class).error("{}{}", prefix, refused.getMessage());
        return new ApiError(500, prefix + refused.getMessage());
    }

    /** The 503 when no data node answered a query. */
    static ApiError unavailable(BackupContents.Unavailable unavailable) {
        Logger log = LoggerFactory.getLogger(BackupPathCheck.class);
        log.warn("no data node answered: {}", unavailable.getMessage());
        return new ApiError(503, unavailable.getMessage());
    }
}
