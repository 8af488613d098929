package dev.ferry.api.service;

import dev.ferry.api.db.ShareRepository;
import dev.ferry.api.model.Share;
import dev.ferry.messages.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code POST /v2/shares/manage} accepts as an export: {@code host:/absolute/path} or an absolute local
 * path ({@link ExportPath#parse}), that is not, lies inside or contains another share's export, the base
 * export under which Ferry creates shares, or the backup repository. A data node mounts whatever export a
 * share has, as root, so an export that reached into the backup repository or another share would let
 * that share's tenant read or overwrite data that is not theirs. In local mode (export paths are folders on
 * this host) the folder must also exist; otherwise the data node finds out when it mounts.
 */
public final class ManagedExportCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedExportCheck.class);
    /** Manila's message for a share whose export is already managed. */
    static final String DUPLICATE = "Share already exists";
    private final ShareRepository shares;
    private final ExportPath shareBase;
    private final ExportPath backupRepository;
    private final boolean localFolders;

    /**
     * {@code shareBase} (FERRY_SHARE_BASE_EXPORT) and {@code backupRepository} (FERRY_BACKUP_EXPORT) may be null
     * when unset; {@code localFolders}: export paths are folders on this host.
     */
    public ManagedExportCheck(ShareRepository shares, ExportPath shareBase, ExportPath backupRepository,
                              boolean localFolders) {
        this.shares = shares;
        this.shareBase = shareBase;
        this.backupRepository = backupRepository;
        this.localFolders = localFolders;
    }

    /** Only other shares are compared with; export paths are not taken for local folders. */
    public static ManagedExportCheck againstSharesOnly(ShareRepository shares) {
        return new ManagedExportCheck(shares, null, null, false);
    }

    /**
     * {@code text} as an export, or 400 saying what is wrong and what form is expected; in local mode, 400 unless
     * it is an existing folder.
     */
    public ExportPath parse(String text) {
        ExportPath export;
        try {
            export = ExportPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Invalid export_path" + quoted(text) + ": " + e.getMessage() + ". "
                    + ExportPath.EXPECTED);
        }
        if (localFolders) {
            if (!export.isLocal()) {
                throw ApiError.badRequest("Invalid export_path '" + text + "': this Ferry runs in local mode "
                        + "(FERRY_SHARE_MOUNT_TEMPLATE is empty), where an export is a folder on this host, not "
                        + "host:/path. Give an absolute local path such as /srv/exports/a.");
            }
            if (!Files.isDirectory(Path.of(export.path()))) {
                throw ApiError.badRequest("Invalid export_path '" + text + "': it is not an existing folder on this "
                        + "host, and in local mode (FERRY_SHARE_MOUNT_TEMPLATE is empty) an export must be one. "
                        + "Create the folder first, or correct the path.");
            }
        }
        return export;
    }

    /**
     * 400 "Share already exists: …" when {@code export} equals, lies inside or contains the base export, the backup
     * repository or another share's export. What it collides with is named when the caller may see it. Callers
     * hold a lock that keeps other manage requests out until they have inserted the share.
     */
    public void refuseOverlaps(Connection c, RequestContext caller, ExportPath export) throws SQLException {
        boolean admin = caller.isAdmin();
        if (shareBase != null && overlap(export, shareBase)) {
            throw ApiError.badRequest(DUPLICATE + ": export_path '" + export + "' overlaps "
                    + (admin ? "FERRY_SHARE_BASE_EXPORT '" + shareBase + "', " : "the export ")
                    + "under which Ferry creates shares. Manage an export outside it.");
        }
        if (backupRepository != null && overlap(export, backupRepository)) {
            throw ApiError.badRequest(DUPLICATE + ": export_path '" + export + "' overlaps the backup repository"
                    + (admin ? " (FERRY_BACKUP_EXPORT '" + backupRepository + "')" : "")
                    + ", which holds every project's backups. Manage an export outside it.");
        }
        for (Share other : shares.list(c, ShareRepository.Filter.all())) {
            ExportPath existing;
            try {
                existing = ExportPath.parse(other.exportPath());
            } catch (IllegalArgumentException e) {
                LOG.debug("share {} has an export path this check cannot read ({}): not compared", other.id(),
                        e.getMessage());
                continue;
            }
            if (overlap(export, existing)) {
                LOG.info("manage of {} refused: it overlaps share {}'s export {}", export, other.id(),
                        other.exportPath());
                throw ApiError.badRequest(DUPLICATE + ": export_path '" + export + "' overlaps "
                        + (Visibility.canSee(caller, other) ? "the export '" + other.exportPath() + "' of share "
                        + other.id() : "another share's export")
                        + "; a managed export may not equal, lie inside or contain another share's export.");
            }
        }
    }

    /** Overlap as written, and in local mode also once symbolic links are resolved. */
    private boolean overlap(ExportPath candidate, ExportPath other) {
        if (candidate.overlaps(other)) {
            return true;
        }
        return localFolders && candidate.isLocal() && other.isLocal() && resolved(candidate).overlaps(resolved(other));
    }

    /** The folder with its links resolved, or as it is when it does not exist (yet). */
    private static ExportPath resolved(ExportPath local) {
        try {
            return new ExportPath(null, Path.of(local.path()).toRealPath().toString());
        } catch (IOException | RuntimeException e) {
            return local;
        }
    }

    /** {@code " 'text'"}, or nothing when the text is empty or holds characters not to echo. */
    private static String quoted(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "";
            }
        }
        return " '" + text + "'";
    }
}
