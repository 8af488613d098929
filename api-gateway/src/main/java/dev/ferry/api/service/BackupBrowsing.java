package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Ids;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Backup;
import dev.ferry.messages.RequestContext;
import java.util.Optional;

/**
 * {@code GET /v2/share-backups/{id}/files?path=<folder>}, Ferry's own: one page of a backup folder's entries, from the
 * backup's manifest, as a data node reads it ({@link BackupContents}). 403 when policy {@code share_backup:browse}
 * refuses, 404 for a backup the caller cannot see, 400 for a backup without a manifest, a malformed folder or one the
 * backup does not hold (naming it), 503 when no data node answers.
 */
public final class BackupBrowsing {
    private final Database db;
    private final Repositories repos;
    private final Policies policies;
    private final BackupContents contents;

    public BackupBrowsing(Repositories repos, Policies policies, BackupContents contents) {
        this.repos = repos;
        this.db = repos.database();
        this.policies = policies;
        this.contents = contents;
    }

    /** {@code folder} null or "" is the backup's root; a trailing "/" is ignored. */
    public BackupContents.Page browse(RequestContext caller, String backupId, String folder, int limit, long offset) {
        policies.require(Policy.BACKUP_BROWSE, caller);
        Backup backup = visible(caller, backupId);
        ManifestRequired.check(backup);
        String path = folder(folder);
        try {
            return contents.browse(backup.id(), path, limit, offset, caller.requestId());
        } catch (BackupContents.Refused refused) {
            throw BackupPathCheck.answer(backup.id(), refused, "Cannot list folder '" + path + "' of backup "
                    + backup.id() + ": ");
        } catch (BackupContents.Unavailable unavailable) {
            throw BackupPathCheck.unavailable(unavailable);
        }
    }

    private Backup visible(RequestContext caller, String backupId) {
        Optional<Backup> found = Ids.plausible(backupId) ? db.read(c -> repos.backups().find(c, backupId))
                : Optional.empty();
        return found.filter(b -> Visibility.canSee(caller, b))
                .orElseThrow(() -> ApiError.notFound("No backup exists with ID " + backupId + "."));
    }

    /** The folder as the manifest names it: relative, "/"-separated, no "." or ".." or empty components. */
    static String folder(String given) {
        if (given == null) {
            return "";
        }
        String path = given;
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            return "";
        }
        if (path.startsWith("/")) {
            throw ApiError.badRequest("Invalid path '" + given + "': give a folder relative to the backup's root, "
                    + "without a leading '/', e.g. path=docs/2024 (or no path for the root).");
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw ApiError.badRequest("Invalid path '" + given + "': a folder relative to the backup's root may "
                        + "not hold empty, '.' or '..' components.");
            }
        }
        return path;
    }
}
