package dev.ferry.api.service;

import dev.ferry.api.model.Backup;
import dev.ferry.messages.RequestContext;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The unknown-path check of a selective restore: every path asked for must be in the backup's manifest, which a data
 * node reads ({@link BackupContents#missingPaths}). Call {@link #requireHeld} after the paths' syntax was checked and
 * before the restore starts: 400 for a backup without a manifest or for paths it does not hold (naming them), 503
 * when no data node answers.
 */
public final class ManifestPathCheck implements BackupPathCheck {
    /** How many unknown paths a 400 names. */
    static final int NAMED = 10;
    private final BackupContents contents;

    public ManifestPathCheck(BackupContents contents) {
        this.contents = contents;
    }

    /** Throws an {@link ApiError} unless {@code backup} has a manifest that holds every one of {@code paths}. */
    @Override
    public void requireHeld(RequestContext caller, Backup backup, List<String> paths) {
        String requestId = caller.requestId();
        ManifestRequired.check(backup);
        if (paths.isEmpty()) {
            return;
        }
        List<String> missing;
        try {
            missing = contents.missingPaths(backup.id(), paths, requestId);
        } catch (BackupContents.Refused refused) {
            throw BackupPathCheck.answer(backup.id(), refused, "Cannot check the paths of backup " + backup.id() + ": ");
        } catch (BackupContents.Unavailable unavailable) {
            throw BackupPathCheck.unavailable(unavailable);
        }
        if (!missing.isEmpty()) {
            String named = missing.stream().limit(NAMED).map(p -> "'" + p + "'").collect(Collectors.joining(", "));
            throw ApiError.badRequest("Backup " + backup.id() + " holds no " + (missing.size() == 1 ? "path " : "paths ")
                    + named + (missing.size() > NAMED ? " (and " + (missing.size() - NAMED) + " more)" : "")
                    + ": give paths relative to the backup's root, as GET /v2/share-backups/" + backup.id()
                    + "/files lists them.");
        }
    }
}
