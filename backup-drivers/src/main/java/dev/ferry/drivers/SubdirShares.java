package dev.ferry.drivers;

import dev.ferry.messages.FailureDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The folders of Ferry's {@code subdir} share backend (like Kubernetes' NFS subdir provisioner): a share is
 * the folder {@code <share id>} directly under a base export, so its export path is
 * {@code <base export>/<share id>}. Exports are made available with the share mount templates of
 * {@link NfsDriverConfig} (blank: local mode, the export path is a local folder used in place), on mount points
 * under its mount root; everything mounted is unmounted again, whatever happens. Thread-safe.
 */
public final class SubdirShares {

    private static final Logger log = LoggerFactory.getLogger(SubdirShares.class);
    /** rwxrwxrwx, as the Kubernetes provisioner leaves its folders, so that every NFS client may write. */
    static final int FOLDER_MODE = 0777;

    private final NfsDriverConfig config;
    private final ExportMounter mounter;
    private final CommandTemplate mount;
    private final CommandTemplate unmount;
    private final TreeDeleter deleter = new TreeDeleter();

    /** Uses the share mount and unmount templates, the share mount options and the mount root of {@code config}. */
    public SubdirShares(NfsDriverConfig config) {
        this(config, new CommandRunner(NfsBackupDriver.DEFAULT_COMMAND_TIMEOUT));
    }

    public SubdirShares(NfsDriverConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config");
        this.mounter = new ExportMounter(runner, config.mountRoot(), MountTable.ofThisProcess());
        this.mount = new CommandTemplate(config.shareMountTemplate());
        this.unmount = new CommandTemplate(config.shareUnmountTemplate());
    }

    /**
     * The base export a share's folder lives in: its export path without the trailing {@code /<share id>}
     * (trailing slashes ignored). Refuses (SHARE_FOLDER_FAILED) a share id that cannot name a folder, and an
     * export path that does not end with {@code /<share id>}: such a share is not a subdir share.
     */
    public static String baseExport(ShareLocation share) throws DriverException {
        String shareId = share.shareId();
        requireSafeShareId(shareId, "Share " + shareId);
        String export = share.exportPath();
        int end = export.length();
        while (end > 1 && export.charAt(end - 1) == '/') {
            end--;
        }
        String trimmed = export.substring(0, end);
        String suffix = "/" + shareId;
        if (!trimmed.endsWith(suffix)) {
            throw new DriverException(FailureDetail.SHARE_FOLDER_FAILED, "Share " + shareId + " is not a subdir "
                    + "share: its export path " + export + " does not end with /" + shareId + ", so it names no "
                    + "folder of that name under a base export; nothing was changed", false, null);
        }
        String base = trimmed.substring(0, trimmed.length() - suffix.length());
        if (base.isEmpty() || base.endsWith(":")) {
            base = base + "/"; // "/<id>" lives in "/", "host:/<id>" in "host:/"
        }
        return base;
    }

    /**
     * Creates the share's folder {@code <base export>/<share id>} with mode 0777. A folder already there (a
     * job run again after a crash) is fine, and gets the mode again; anything else of that name is refused.
     */
    public void create(ShareLocation share, Cancellation cancellation) throws DriverException {
        String shareId = share.shareId();
        String what = "Creating the folder of share " + shareId;
        String base = baseExport(share);
        requireNotCancelled(cancellation, what, "created");
        try (MountedExport mounted = mountBase(share, base);
             DirHandle baseFolder = DirHandle.openRoot(mounted.path())) {
            byte[] name = Names.of(shareId);
            if (baseFolder.makeDirectory(name, 0700)) {
                log.info("{}: created {}/{}", what, base, shareId);
            } else {
                log.info("{}: {}/{} exists already (an earlier attempt made it); keeping it", what, base, shareId);
            }
            DirHandle folder;
            try {
                folder = baseFolder.openDirectory(name);
            } catch (Errno e) {
                if (!(e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR))) {
                    throw e;
                }
                throw new DriverException(FailureDetail.SHARE_FOLDER_FAILED, what + " failed: " + base + "/"
                        + shareId + " exists and is not a folder (a file or a symbolic link); it was left as "
                        + "it is. Remove or rename it, then create the share again", false, e);
            }
            try (folder) {
                folder.chmod(FOLDER_MODE); // through the handle: never the target of a link
            }
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.SHARE_FOLDER_FAILED, what + " failed: cannot create " + base
                    + "/" + shareId + ": " + IoErrors.describe(e) + ". Check that the base export is mounted "
                    + "writable for the data node", false, e);
        }
    }

    /**
     * Removes the share's folder and everything in it; symbolic links are removed, never followed. A folder
     * that is already gone counts as removed, so deleting twice is harmless.
     */
    public void delete(ShareLocation share, Cancellation cancellation) throws DriverException {
        String shareId = share.shareId();
        String what = "Removing the folder of share " + shareId;
        String base = baseExport(share);
        requireNotCancelled(cancellation, what, "removed");
        try (MountedExport mounted = mountBase(share, base);
             DirHandle baseFolder = DirHandle.openRoot(mounted.path())) {
            deleter.deleteIfExists(baseFolder, Names.of(shareId), cancellation);
            log.info("{} done: {}/{} is gone", what, base, shareId);
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.SHARE_FOLDER_FAILED, what + " failed: cannot remove " + base + "/"
                    + shareId + ": " + IoErrors.describe(e) + ". Check that the base export is mounted writable and "
                    + "that the data node may delete every file and folder in the share; what was removed stays "
                    + "removed, and deleting again finishes the job", false, e);
        }
    }

    /**
     * The bytes the share uses: the sizes of its regular files, read without following symbolic links (a link
     * counts nothing, whatever it points at). Mounts the share's own export. A file with several hard links in
     * the share counts once per link.
     */
    public long usedBytes(ShareLocation share, Cancellation cancellation) throws DriverException {
        String shareId = share.shareId();
        String what = "Measuring the used space of share " + shareId;
        if (cancellation.isCancelled()) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " was cancelled before it started",
                    false, null);
        }
        try (MountedExport mounted = mounter.mount("share-" + shareId, "share " + shareId, mount, unmount,
                proto(share), config.shareMountOptions(), share.exportPath());
             DirHandle root = DirHandle.openRoot(mounted.path())) {
            long used = new TreeSizer(new IgnoreList(List.of())).size(root, new StopSignal(cancellation)).bytes();
            log.info("{}: {} bytes in regular files", what, used);
            return used;
        } catch (MountException e) {
            throw new DriverException(FailureDetail.MOUNT_FAILED, what + " failed: " + e.getMessage(), false, e);
        } catch (CopyStoppedException e) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " was cancelled", false, e);
        } catch (IOException e) {
            throw new DriverException(FailureDetail.UNKNOWN_ERROR, what + " failed: cannot read "
                    + share.exportPath() + ": " + IoErrors.describe(e) + ". Check that the data node may read "
                    + "every folder of the share", false, e);
        }
    }

    private MountedExport mountBase(ShareLocation share, String base) throws MountException {
        // named share-… so that StaleMountCleaner unmounts a leftover with the share unmount template
        return mounter.mount("share-base-" + share.shareId(), "the base export of share " + share.shareId(), mount,
                unmount, proto(share), config.shareMountOptions(), base);
    }

    private static String proto(ShareLocation share) {
        return share.protocol().toLowerCase(Locale.ROOT);
    }

    private static void requireSafeShareId(String shareId, String what) throws DriverException {
        if (shareId.isEmpty() || shareId.equals(".") || shareId.equals("..") || shareId.contains("/")
                || shareId.indexOf('\0') >= 0) {
            throw new DriverException(FailureDetail.SHARE_FOLDER_FAILED, what + " cannot be a subdir share: the id '"
                    + shareId + "' cannot name a folder under a base export", false, null);
        }
    }

    private static void requireNotCancelled(Cancellation cancellation, String what, String verb)
            throws DriverException {
        if (cancellation.isCancelled()) {
            throw new DriverException(FailureDetail.SHARE_FOLDER_FAILED, what + " was cancelled before it started; "
                    + "nothing was " + verb, false, null);
        }
    }
}
