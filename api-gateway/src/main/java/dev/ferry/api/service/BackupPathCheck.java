package dev.ferry.api.service;

import dev.ferry.api.model.Backup;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unknown-path check of a selective restore: every path asked for must be in the backup's manifest, which a data
 * node reads ({@link BackupContents#missingPaths}). Call {@link #requireKnown} after the paths' syntax was checked and
 * before the restore starts: 400 for a backup without a manifest or for paths it does not hold (naming them), 503
 * when no data node answers.
 */
public final class BackupPathCheck {
    private static final Logger LOG = LoggerFactory.getLogger(BackupPathCheck.class);
    /** How many unknown paths a 400 names. */
    static final int NAMED = 10;
    private final BackupContents contents;

    public BackupPathCheck(BackupContents contents) {
        this.contents = contents;
    }

    /** Throws an {@link ApiError} unless {@code backup} has a manifest that holds every one of {@code paths}. */
    public void requireKnown(Backup backup, List<String> paths, String requestId) {
        ManifestRequired.check(backup);
        if (paths.isEmpty()) {
            return;
        }
        List<String> missing;
        try {
            missing = contents.missingPaths(backup.id(), paths, requestId);
        } catch (BackupContents.Refused refused) {
            throw answer(backup.id(), refused, "Cannot check the paths of backup " + backup.id() + ": ");
        } catch (BackupContents.Unavailable unavailable) {
            throw unavailable(unavailable);
        }
        if (!missing.isEmpty()) {
            String named = missing.stream().limit(NAMED).map(p -> "'" + p + "'").collect(Collectors.joining(", "));
            throw ApiError.badRequest("Backup " + backup.id() + " holds no " + (missing.size() == 1 ? "path " : "paths ")
                    + named + (missing.size() > NAMED ? " (and " + (missing.size() - NAMED) + " more)" : "")
                    + ": give paths relative to the backup's root, as GET /v2/share-backups/" + backup.id()
                    + "/files lists them.");
        }
    }

    /** The answer to a data node's refusal: 400 for no manifest or the request's fault, else 500 saying why. */
    static ApiError answer(String backupId, BackupContents.Refused refused, String prefix) {
        if (refused.noManifest()) {
            return ApiError.badRequest(ManifestRequired.message(backupId));
        }
        if (refused.byRequest()) {
            return ApiError.badRequest(prefix + refused.getMessage());
        }
        LOG.error("{}{}", prefix, refused.getMessage());
        return new ApiError(500, prefix + refused.getMessage());
    }

    static ApiError unavailable(BackupContents.Unavailable unavailable) {
        LOG.warn("no data node answered: {}", unavailable.getMessage());
        return new ApiError(503, unavailable.getMessage());
    }
}
