package dev.ferry.drivers;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of {@link NfsBackupDriver}, named after Manila's options.
 *
 * @param backupExport          the backup repository: {@code host:/path} (Manila's backup_mount_export), or a
 *                              local folder when {@code backupMountTemplate} is blank
 * @param backupMountTemplate   mount command for the repository; blank selects local mode
 * @param backupUnmountTemplate unmount command for the repository
 * @param backupMountOptions    the repository's {@code %(options)s}, e.g. {@code -o vers=4,minorversion=1}
 * @param backupMountProto      the repository's {@code %(proto)s}
 * @param shareMountTemplate    mount command for a share (backup_share_mount_template); blank selects local
 *                              mode, where a share's export path is a local folder
 * @param shareUnmountTemplate  unmount command for a share
 * @param shareMountOptions     a share's {@code %(options)s}
 * @param mountRoot             where mount points are created; required unless both mount templates are blank
 * @param restoreToTarget       whether a backup may be restored into a share other than its own
 * @param ignoreFiles           base names skipped at any depth when copying
 * @param copyThreads           threads copying file content in parallel
 * @param verifyChecksums       compare SHA-256 of every file with its copy
 * @param copyMaxBytesPerSecond most bytes of file content one job's copy writes per second (all its threads
 *                              together); 0 means unlimited
 */
public record NfsDriverConfig(String backupExport, String backupMountTemplate, String backupUnmountTemplate,
                              String backupMountOptions, String backupMountProto, String shareMountTemplate,
                              String shareUnmountTemplate, String shareMountOptions, Path mountRoot,
                              boolean restoreToTarget, List<String> ignoreFiles, int copyThreads,
                              boolean verifyChecksums, long copyMaxBytesPerSecond) {

    /** Manila's backup_mount_template and backup_share_mount_template. */
    public static final String MANILA_MOUNT_TEMPLATE = "mount -vt %(proto)s %(options)s %(export)s %(path)s";
    /** Manila's backup_unmount_template and backup_share_unmount_template. */
    public static final String MANILA_UNMOUNT_TEMPLATE = "umount -v %(path)s";
    public static final String DEFAULT_PROTO = "nfs";
    /**
     * The default {@code %(options)s} of share and backup mounts: a tenant's setuid programs, device nodes and
     * symbolic links mean nothing on the data node (NFS and bind mounts accept all three).
     */
    public static final String SAFE_MOUNT_OPTIONS = "-o nosuid,nodev,nosymfollow";
    public static final List<String> DEFAULT_IGNORE_FILES = List.of("lost+found");
    public static final int DEFAULT_COPY_THREADS = 4;

    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    public NfsDriverConfig {
        if (backupExport == null || backupExport.isBlank()) {
            throw new IllegalArgumentException("backupExport is required: the backup repository as host:/path, or a "
                    + "local folder when the backup mount template is empty");
        }
        Objects.requireNonNull(backupMountTemplate, "backupMountTemplate (blank for local mode)");
        Objects.requireNonNull(backupUnmountTemplate, "backupUnmountTemplate (blank for local mode)");
        Objects.requireNonNull(shareMountTemplate, "shareMountTemplate (blank for local mode)");
        Objects.requireNonNull(shareUnmountTemplate, "shareUnmountTemplate (blank for local mode)");
        backupMountOptions = backupMountOptions == null ? "" : backupMountOptions;
        shareMountOptions = shareMountOptions == null ? "" : shareMountOptions;
        backupMountProto = backupMountProto == null || backupMountProto.isBlank() ? DEFAULT_PROTO : backupMountProto;
        ignoreFiles = ignoreFiles == null ? DEFAULT_IGNORE_FILES : List.copyOf(ignoreFiles);
        requireUnmountWithMount("backup", backupMountTemplate, backupUnmountTemplate);
        requireUnmountWithMount("share", shareMountTemplate, shareUnmountTemplate);
        new CommandTemplate(backupMountTemplate);
        new CommandTemplate(backupUnmountTemplate);
        new CommandTemplate(shareMountTemplate);
        new CommandTemplate(shareUnmountTemplate);
        if (!backupMountTemplate.isBlank() || !shareMountTemplate.isBlank()) {
            if (mountRoot == null) {
                throw new IllegalArgumentException("mountRoot is required when a mount template is set: mount "
                        + "points are created under it");
            }
            if (WHITESPACE.matcher(mountRoot.toString()).find()) {
                throw new IllegalArgumentException("mountRoot '" + mountRoot + "' contains whitespace; mount commands "
                        + "are split on whitespace, so choose a folder without spaces");
            }
            mountRoot = mountRoot.toAbsolutePath().normalize();
        }
        CopyOptions.of(ignoreFiles, copyThreads, verifyChecksums)
                .withMaxBytesPerSecond(copyMaxBytesPerSecond); // validates the copy settings
    }

    /** Manila's templates, proto nfs, {@link #SAFE_MOUNT_OPTIONS}, restore to target allowed. */
    public static NfsDriverConfig defaults(String backupExport, Path mountRoot) {
        return new NfsDriverConfig(backupExport, MANILA_MOUNT_TEMPLATE, MANILA_UNMOUNT_TEMPLATE, SAFE_MOUNT_OPTIONS,
                DEFAULT_PROTO, MANILA_MOUNT_TEMPLATE, MANILA_UNMOUNT_TEMPLATE, SAFE_MOUNT_OPTIONS, mountRoot, true,
                DEFAULT_IGNORE_FILES,
                DEFAULT_COPY_THREADS, false, 0);
    }

    /** Local mode (what {@code ferry dev} uses): the repository and share exports are local folders. */
    public static NfsDriverConfig local(Path backupFolder) {
        return new NfsDriverConfig(backupFolder.toString(), "", "", "", DEFAULT_PROTO, "", "", "", null, true,
                DEFAULT_IGNORE_FILES, DEFAULT_COPY_THREADS, false, 0);
    }

    public boolean backupRepositoryIsLocal() {
        return backupMountTemplate.isBlank();
    }

    public boolean sharesAreLocal() {
        return shareMountTemplate.isBlank();
    }

    /** The copy settings of this configuration. */
    public CopyOptions copyOptions() {
        return CopyOptions.of(ignoreFiles, copyThreads, verifyChecksums).withMaxBytesPerSecond(copyMaxBytesPerSecond);
    }

    public NfsDriverConfig withBackupMount(String mountTemplate, String unmountTemplate, String options) {
        return new NfsDriverConfig(backupExport, mountTemplate, unmountTemplate, options, backupMountProto,
                shareMountTemplate, shareUnmountTemplate, shareMountOptions, mountRoot, restoreToTarget, ignoreFiles,
                copyThreads, verifyChecksums, copyMaxBytesPerSecond);
    }

    public NfsDriverConfig withShareMount(String mountTemplate, String unmountTemplate, String options) {
        return new NfsDriverConfig(backupExport, backupMountTemplate, backupUnmountTemplate, backupMountOptions,
                backupMountProto, mountTemplate, unmountTemplate, options, mountRoot, restoreToTarget, ignoreFiles,
                copyThreads, verifyChecksums, copyMaxBytesPerSecond);
    }

    public NfsDriverConfig withMountRoot(Path root) {
        return new NfsDriverConfig(backupExport, backupMountTemplate, backupUnmountTemplate, backupMountOptions,
                backupMountProto, shareMountTemplate, shareUnmountTemplate, shareMountOptions, root, restoreToTarget,
                ignoreFiles, copyThreads, verifyChecksums, copyMaxBytesPerSecond);
    }

    public NfsDriverConfig withRestoreToTarget(boolean allowed) {
        return new NfsDriverConfig(backupExport, backupMountTemplate, backupUnmountTemplate, backupMountOptions,
                backupMountProto, shareMountTemplate, shareUnmountTemplate, shareMountOptions, mountRoot, allowed,
                ignoreFiles, copyThreads, verifyChecksums, copyMaxBytesPerSecond);
    }

    public NfsDriverConfig withCopy(List<String> ignore, int threads, boolean verify) {
        return new NfsDriverConfig(backupExport, backupMountTemplate, backupUnmountTemplate, backupMountOptions,
                backupMountProto, shareMountTemplate, shareUnmountTemplate, shareMountOptions, mountRoot,
                restoreToTarget, ignore, threads, verify, copyMaxBytesPerSecond);
    }

    /** The same configuration with a copy rate limit per job; 0 removes it. */
    public NfsDriverConfig withCopyMaxBytesPerSecond(long bytesPerSecond) {
        return new NfsDriverConfig(backupExport, backupMountTemplate, backupUnmountTemplate, backupMountOptions,
                backupMountProto, shareMountTemplate, shareUnmountTemplate, shareMountOptions, mountRoot,
                restoreToTarget, ignoreFiles, copyThreads, verifyChecksums, bytesPerSecond);
    }

    private static void requireUnmountWithMount(String what, String mount, String unmount) {
        if (!mount.isBlank() && unmount.isBlank()) {
            throw new IllegalArgumentException("the " + what + " mount template is set but its unmount template is "
                    + "empty; set both (mounted exports must be unmounted) or leave both empty for local mode");
        }
    }
}
