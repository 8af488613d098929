package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Manila's NFS backup driver, with the data manager's mount-and-copy work done here: the backup repository
 * (an NFS export) holds each backup in {@code <export>/<backupId>/}, a mirror of the share's root. A backup
 * mounts the repository, then the share, and copies the share into a fresh backup folder; a restore mounts
 * the repository, checks the backup folder exists, mounts the target share and restores into the share's root:
 * through the backup's manifest when it has one ({@link ManifestRestoreRun}: verified files, selections, overwrite
 * policies, resume, delete_extra), else by copying the whole backup folder over it as before manifests; a delete
 * mounts the repository and removes the backup folder (never following symbolic links). Everything mounted is
 * unmounted again, whatever happens.
 *
 * <p>A backup also writes {@code <export>/<backupId>.manifest} ({@link Manifest}) while it copies, and completes it
 * last: a backup folder without its manifest is a backup that did not finish, or one made before Ferry wrote
 * manifests. Verify, browse and the path look-ups of selective restores read that manifest; a delete removes it
 * before the folder.
 */
public final class NfsBackupDriver implements BackupDriver {

    private static final Logger log = LoggerFactory.getLogger(NfsBackupDriver.class);
    private static final String NFS = "NFS";
    /** How long a mount or unmount may take before it is killed (an unreachable NFS server can hang). */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final NfsDriverConfig config;
    private final CommandRunner runner;
    private final ExportMounter mounter;
    private final TreeCopier copier;
    private final TreeDeleter deleter = new TreeDeleter();
    private final ManifestFiles manifests = new ManifestFiles();
    private final CommandTemplate backupMount;
    private final CommandTemplate backupUnmount;
    private final CommandTemplate shareMount;
    private final CommandTemplate shareUnmount;

    public NfsBackupDriver(NfsDriverConfig config) {
        this(config, new CommandRunner(DEFAULT_COMMAND_TIMEOUT));
    }

    public NfsBackupDriver(NfsDriverConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config");
        this.runner = runner;
        this.mounter = new ExportMounter(runner, config.mountRoot(), MountTable.ofThisProcess());
        this.copier = new TreeCopier(config.copyOptions());
        this.backupMount = new CommandTemplate(config.backupMountTemplate());
        this.backupUnmount = new CommandTemplate(config.backupUnmountTemplate());
        this.shareMount = new CommandTemplate(config.shareMountTemplate());
        this.shareUnmount = new CommandTemplate(config.shareUnmountTemplate());
    }

    @Override
    public boolean useDataManager() {
        return true;
    }

    @Override
    public boolean supportRestoreToTarget() {
        return config.restoreToTarget();
    }

    @Override
    public boolean supportsRestore(String backupProtocol, String targetProtocol) {
        return NFS.equalsIgnoreCase(backupProtocol) && NFS.equalsIgnoreCase(targetProtocol);
    }

    @Override
    public boolean supportsBackup(String shareProtocol) {
        return NFS.equalsIgnoreCase(shareProtocol);
    }

    /** Unmounts what a dead process left under the mount root ({@link StaleMountCleaner}). */
    @Override
    public void cleanUpLeftovers() {
        new StaleMountCleaner(config, runner, MountTable.ofThisProcess()).cleanUp();
    }

    @Override
    public CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation)
            throws DriverException {
        String backupId = request.backupId();
        ShareLocation share = request.source();
        String what = "Backup " + backupId + " of share " + share.shareId();
        requireSafeBackupId(backupId, what);
        if (!supportsBackup(share.protocol())) {
            throw new DriverException(FailureDetail.SHARE_PROTOCOL_UNSUPPORTED, what + " failed: the NFS backup driver "
                    + "backs up NFS shares only, and this share's protocol is " + share.protocol(), false, null);
        }
        requireNotCancelled(cancellation, what);
        try (MountedExport repository = mountRepository(backupId);
             MountedExport shareRoot = mountShare(share);
             DirHandle repositoryRoot = DirHandle.openRoot(repository.path());
             DirHandle sourceRoot = DirHandle.openRoot(shareRoot.path())) {
            byte[] folderName = Names.of(backupId);
            manifests.remove(repository.path(), backupId); // first: a manifest never outlives its folder's content
            deleter.deleteIfExists(repositoryRoot, folderName, cancellation);
            repositoryRoot.makeDirectory(folderName, 0700);
            try (DirHandle backupFolder = repositoryRoot.openDirectory(folderName);
                 ManifestWriter manifest = ManifestWriter.create(manifests.file(repository.path(), backupId))) {
                CopyReport copied = copier.backup(sourceRoot, backupFolder, "share " + share.shareId()
                        + " to the backup repository", manifest, progress, cancellation);
                manifest.complete(); // last: the backup is whole only with its manifest
                CopyReport report = new CopyReport(copied.files(), copied.directories(), copied.symlinks(),
                        copied.bytes(), copied.skipped(), 0, 0, 0, null, copied.metadataDropped(),
                        copied.firstDropped(), true);
                log.info("{} done: {} files, {} bytes, manifest of {} entries written", what, report.files(),
                        report.bytes(), manifest.entryCount());
                return report;
            }
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (CopyFailedException e) {
            // the share is only read; a partial backup folder is replaced by the next attempt
            throw new DriverException(FailureDetail.COPY_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " failed: cannot prepare the backup folder in "
                    + "the repository: " + IoErrors.describe(e) + ". Check that the repository is writable", false, e);
        }
    }

    @Override
    public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation)
            throws DriverException {
        String backupId = request.backupId();
        ShareLocation share = request.target();
        String what = "Restore of backup " + backupId + " into share " + share.shareId();
        requireSafeBackupId(backupId, what);
        requireNotCancelled(cancellation, what);
        try (MountedExport repository = mountRepository(backupId);
             DirHandle repositoryRoot = DirHandle.openRoot(repository.path())) {
            DirHandle backupFolder;
            try {
                backupFolder = repositoryRoot.openDirectory(Names.of(backupId));
            } catch (Errno e) {
                if (!(e.is(LibC.ENOENT) || e.is(LibC.ENOTDIR) || e.is(LibC.ELOOP))) {
                    throw e;
                }
                throw new DriverException(FailureDetail.BACKUP_DATA_MISSING, what + " failed: the backup's data is "
                        + "missing: " + config.backupExport() + "/" + backupId + "/ does not exist in the backup "
                        + "repository (or is not a directory). Check that backupExport names the repository this "
                        + "backup was written to; otherwise the backup cannot be restored", false, null);
            }
            try (backupFolder;
                 Manifest manifest = Manifests.open(repository.path(), backupId)) {
                RestoreSelection selection = request.selection();
                if (manifest == null) {
                    requireWholeRestore(selection, backupId, what);
                } else {
                    requireKnownPaths(manifest, selection, what);
                }
                try (MountedExport shareRoot = mountShare(share);
                     DirHandle targetRoot = DirHandle.openRoot(shareRoot.path())) {
                    String description = "backup " + backupId + " to share " + share.shareId();
                    CopyReport report = manifest == null
                            ? copier.restoreWithoutManifest(backupFolder, targetRoot, description,
                                    selection.overwrite(), progress, cancellation)
                            : new ManifestRestoreRun(config.copyOptions(), manifest, backupFolder, targetRoot,
                                    selection, request.resumed(), description, progress, cancellation,
                                    XattrWriter.THROUGH_HANDLE).run();
                    log.info("{} done: {} files, {} bytes{}", what, report.files(), report.bytes(),
                            report.damagedFiles() == 0 ? "" : "; " + report.damagedFiles() + " damaged files not "
                                    + "restored, the first '" + report.firstDamaged() + "'");
                    return report;
                }
            }
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (CopyFailedException e) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " failed: " + e.getMessage(),
                    e.targetTouched(), e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " failed: " + IoErrors.describe(e)
                    + ". Check that the backup repository and the share are readable and writable by the data node",
                    false, e);
        }
    }

    /**
     * Mounts the repository and removes {@code <repository>/<backupId>/} with everything in it; symbolic links
     * are removed, never followed. A folder that is already gone counts as deleted (Manila deletes only when
     * the folder exists), so deleting twice is harmless.
     */
    @Override
    public void delete(BackupDeleteRequest request, Cancellation cancellation) throws DriverException {
        String backupId = request.backupId();
        String what = "Deletion of backup " + backupId;
        requireSafeBackupId(backupId, what);
        if (cancellation.isCancelled()) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " was cancelled before it started; nothing "
                    + "was removed", false, null);
        }
        try (MountedExport repository = mountRepository(backupId);
             DirHandle repositoryRoot = DirHandle.openRoot(repository.path())) {
            manifests.remove(repository.path(), backupId);
            deleter.deleteIfExists(repositoryRoot, Names.of(backupId), cancellation);
            log.info("{} done: {}/{}/ is gone from the backup repository", what, config.backupExport(), backupId);
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " failed: cannot remove "
                    + config.backupExport() + "/" + backupId + "/ from the backup repository: " + IoErrors.describe(e)
                    + ". Check that the repository is mounted writable and that the data node may delete every "
                    + "file and folder in the backup; what was removed stays removed, and deleting again finishes "
                    + "the job", false, e);
        }
    }

    /**
     * Mounts the repository and reads every file of the backup's copy, in manifest order, checking its size and
     * CRC32C against the manifest. Damaged files (missing, of another size or checksum) are counted and the first
     * ten named; the report says so, it is not a failure. A backup without a manifest is refused with
     * {@link FailureDetail#NO_MANIFEST}.
     */
    @Override
    public VerifyReport verify(String backupId, ProgressListener progress, Cancellation cancellation)
            throws DriverException {
        String what = "Verification of backup " + backupId;
        requireSafeBackupId(backupId, what);
        if (cancellation.isCancelled()) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " was cancelled before it started", false,
                    null);
        }
        StopSignal stop = new StopSignal(cancellation);
        try (MountedExport repository = mountRepository(backupId);
             Manifest manifest = openManifest(repository, backupId, what);
             DirHandle repositoryRoot = DirHandle.openRoot(repository.path());
             DirHandle backupFolder = openBackupFolder(repositoryRoot, backupId, what)) {
            VerifyReport report = new BackupVerifier(config.copyOptions().chunkBytes()).verify(manifest, backupFolder,
                    progress, stop, config.copyOptions().progressInterval());
            log.info("{} done: {} files, {} bytes checked, {} damaged{}", what, report.filesChecked(),
                    report.bytesChecked(), report.damagedFiles(),
                    report.sound() ? "" : " (first: " + report.firstDamaged().get(0) + ")");
            return report;
        } catch (CopyStoppedException e) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + (stop.cancelled() ? " was cancelled"
                    : " was interrupted") + " before it finished; nothing was changed", false, null);
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " failed: " + IoErrors.describe(e)
                    + ". Check that the backup repository is readable by the data node", false, e);
        }
    }

    /**
     * One page of the entries directly inside {@code folder} ("" or "/" for the backup root; a trailing '/' is
     * ignored), read from the backup's manifest and sorted by name bytes; {@code more} when at least one entry
     * follows the page. An unknown folder, or a path that is not a folder, is refused with
     * {@link FailureDetail#UNKNOWN_ERROR} naming it.
     */
    @Override
    public BrowsePage browse(String backupId, String folder, int limit, long offset) throws DriverException {
        String what = "Listing folder '" + folder + "' of backup " + backupId;
        requireSafeBackupId(backupId, what);
        if (limit < 1 || offset < 0) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " failed: the limit must be at least 1 "
                    + "and the offset at least 0 (were " + limit + " and " + offset + ")", false, null);
        }
        byte[] path = Names.of(trimTrailingSlashes(folder));
        try (MountedExport repository = mountRepository(backupId);
             Manifest manifest = openManifest(repository, backupId, what)) {
            if (path.length > 0) {
                ManifestEntry entry = manifest.find(path);
                if (entry == null || !ManifestEntry.DIRECTORY.equals(entry.type())) {
                    throw new DriverException(FailureDetail.UNKNOWN_ERROR, "Backup " + backupId + " has no folder '"
                            + folder + "'" + (entry == null ? "" : " (it is a " + entry.type() + ")")
                            + ". List its parent folder to see what it holds", false, null);
                }
            }
            List<ManifestEntry> children = manifest.children(path, limit + 1, offset);
            List<BrowseEntry> page = new ArrayList<>();
            for (ManifestEntry child : children.subList(0, Math.min(limit, children.size()))) {
                page.add(new BrowseEntry(child.pathText(), child.type(), child.size(), child.mode(),
                        child.mtimeNanos(), child.checksumText()));
            }
            return new BrowsePage(page, children.size() > limit);
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " failed: " + IoErrors.describe(e), false, e);
        }
    }

    /**
     * The given paths (backup-relative, matched literally; a trailing '/' is ignored, "" is the root) that the
     * backup's manifest does not hold, in the given order.
     */
    @Override
    public List<String> missingPaths(String backupId, List<String> paths) throws DriverException {
        String what = "Looking up paths in backup " + backupId;
        requireSafeBackupId(backupId, what);
        try (MountedExport repository = mountRepository(backupId);
             Manifest manifest = openManifest(repository, backupId, what)) {
            List<String> missing = new ArrayList<>();
            for (String path : paths) {
                byte[] bytes = Names.of(trimTrailingSlashes(path));
                if (bytes.length > 0 && manifest.find(bytes) == null) {
                    missing.add(path);
                }
            }
            return missing;
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " failed: " + IoErrors.describe(e), false, e);
        }
    }

    private static String trimTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** The backup's manifest; refused with {@link FailureDetail#NO_MANIFEST} when it has none. */
    private Manifest openManifest(MountedExport repository, String backupId, String what)
            throws IOException, DriverException {
        Manifest manifest = Manifests.open(repository.path(), backupId);
        if (manifest == null) {
            throw new DriverException(FailureDetail.NO_MANIFEST, what + " failed: backup " + backupId + " has no "
                    + "manifest: it was made before Ferry recorded the contents of backups, so it can only be "
                    + "restored in full", false, null);
        }
        return manifest;
    }

    private DirHandle openBackupFolder(DirHandle repositoryRoot, String backupId, String what)
            throws IOException, DriverException {
        try {
            return repositoryRoot.openDirectory(Names.of(backupId));
        } catch (Errno e) {
            if (!(e.is(LibC.ENOENT) || e.is(LibC.ENOTDIR) || e.is(LibC.ELOOP))) {
                throw e;
            }
            throw new DriverException(FailureDetail.BACKUP_DATA_MISSING, what + " failed: the backup's data is "
                    + "missing: " + config.backupExport() + "/" + backupId + "/ does not exist in the backup "
                    + "repository (or is not a directory), though its manifest does", false, null);
        }
    }

    private MountedExport mountRepository(String backupId) throws MountException {
        return mounter.mount("backup-" + backupId, "the backup repository", backupMount, backupUnmount,
                config.backupMountProto(), config.backupMountOptions(), config.backupExport());
    }

    private MountedExport mountShare(ShareLocation share) throws MountException {
        return mounter.mount("share-" + share.shareId(), "share " + share.shareId(), shareMount, shareUnmount,
                share.protocol().toLowerCase(Locale.ROOT), config.shareMountOptions(), share.exportPath());
    }

    private static void requireSafeBackupId(String backupId, String what) throws DriverException {
        if (backupId.isEmpty() || backupId.equals(".") || backupId.equals("..") || backupId.contains("/")
                || backupId.indexOf('\0') >= 0) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " failed: the backup id '" + backupId
                    + "' cannot name a folder in the backup repository", false, null);
        }
    }

    /** A backup without a manifest (made before Ferry wrote them) restores only whole, as Manila's. */
    private static void requireWholeRestore(RestoreSelection selection, String backupId, String what)
            throws DriverException {
        if (!selection.whole() || selection.deleteExtra()) {
            throw new DriverException(FailureDetail.NO_MANIFEST, what + " failed: backup " + backupId + " has no "
                    + "manifest (it was made before Ferry recorded the contents of backups), so it can only be "
                    + "restored in full, without " + (selection.whole() ? "delete_extra" : "selected paths")
                    + "; nothing was written", false, null);
        }
    }

    /** Every selected path must be well formed and name an entry of the manifest. */
    private static void requireKnownPaths(Manifest manifest, RestoreSelection selection, String what)
            throws DriverException, IOException {
        try {
            SelectedPaths.of(selection.paths());
        } catch (IllegalArgumentException e) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " failed: " + e.getMessage()
                    + "; nothing was written", false, null);
        }
        for (String path : selection.paths()) {
            if (manifest.find(Names.of(path)) == null) {
                throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " failed: the backup holds no '"
                        + path + "' (paths are relative to the backup's root and matched exactly); nothing was "
                        + "written", false, null);
            }
        }
    }

    private static void requireNotCancelled(Cancellation cancellation, String what) throws DriverException {
        if (cancellation.isCancelled()) {
            throw new DriverException(FailureDetail.COPY_FAILED, what + " was cancelled before it started; nothing "
                    + "was copied", false, null);
        }
    }
}
