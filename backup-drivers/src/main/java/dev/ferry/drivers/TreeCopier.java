package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Ferry's copy engine: copies the tree under a source folder into a target folder, overlaying what the target
 * already holds (files of the same name are replaced, other files are left alone).
 *
 * <ul>
 *   <li>Both trees are worked on through open directory handles, one entry at a time, never following a
 *       symbolic link ({@link DirHandle}): a tenant renaming folders or swapping them for links while the copy
 *       runs can make it fail, never make it read or write outside its roots. Links are recreated with the
 *       same link text.
 *   <li>Regular files are opened without blocking and checked through the open handle before a byte is read;
 *       fifos, sockets and devices are skipped and counted. Content is copied on {@code copyThreads} threads
 *       in the kernel ({@code copy_file_range}). A file of the same name in the target is replaced through a
 *       temporary file renamed over it; a directory is never removed to make room.
 *   <li>Permission bits, owners (best effort) and times are kept on files, links and directories; a
 *       directory's metadata is applied once its content is copied. The target root keeps its own.
 *   <li>Names on the ignore list are skipped at any depth.
 *   <li>Memory is bounded by the tree's depth and the copy queue, not by its size.
 *   <li>Progress goes to a {@link ProgressListener} and to the {@link Cancellation} (for a stall watchdog); a
 *       cancellation stops the copy between files and between chunks of a file.
 * </ul>
 *
 * <p>Thread-safe: one instance can run several copies at once.
 */
public final class TreeCopier {

    private final CopyOptions options;

    public TreeCopier(CopyOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public CopyOptions options() {
        return options;
    }

    /**
     * Copies the tree under {@code sourceRoot} into {@code targetRoot} (created if missing). Both are folders an
     * operator or Ferry chose (mount points, local exports); nothing below them is reached through a link.
     *
     * @throws CopyFailedException when the copy failed or was cancelled; it says whether the target was touched
     */
    public CopyReport copy(Path sourceRoot, Path targetRoot, ProgressListener progress, Cancellation cancellation)
            throws CopyFailedException {
        Objects.requireNonNull(sourceRoot, "sourceRoot");
        Objects.requireNonNull(targetRoot, "targetRoot");
        Path source = realDirectory(sourceRoot, "from", "the source folder exists and is readable", false);
        Path target = realDirectory(targetRoot, "into", "the target folder exists and is writable", true);
        if (target.startsWith(source) || source.startsWith(target)) {
            throw new CopyFailedException("Cannot copy " + source + " into " + target
                    + ": one folder contains the other. Choose a target outside the source", false, false, null);
        }
        try (DirHandle sourceHandle = openRoot(source, "from", "the source folder exists and is readable");
             DirHandle targetHandle = openRoot(target, "into", "the target folder exists and is writable")) {
            return copy(sourceHandle, targetHandle, source + " to " + target, progress, cancellation);
        }
    }

    /**
     * Copies the tree under the open directory {@code source} into the open directory {@code target}; the
     * handles stay the caller's. {@code description} names the copy in logs and failures ("X to Y").
     */
    CopyReport copy(DirHandle source, DirHandle target, String description, ProgressListener progress,
                    Cancellation cancellation) throws CopyFailedException {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancellation, "cancellation");
        return new CopyRun(options, source, target, description, progress, cancellation).run();
    }

    /**
     * A restore of a backup made before manifests: copies as {@link #copy(DirHandle, DirHandle, String,
     * ProgressListener, Cancellation)} does, leaving files the target holds as {@code overwrite} says
     * ({@code if-changed}: same size and modification time; {@code never}: anything there).
     */
    CopyReport restoreWithoutManifest(DirHandle source, DirHandle target, String description,
                                      RestoreSelection.Overwrite overwrite, ProgressListener progress,
                                      Cancellation cancellation) throws CopyFailedException {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancellation, "cancellation");
        return new CopyRun(options, source, target, description, progress, cancellation).withOverwrite(overwrite)
                .run();
    }

    /**
     * A backup: copies as {@link #copy(DirHandle, DirHandle, String, ProgressListener, Cancellation)} does into the
     * fresh backup folder {@code target}, and records every entry in {@code manifest} (left for the caller to
     * complete). Files are read once, their CRC32C taken while they are written; holes, hard links, extended
     * attributes and ACLs are kept in the copy.
     */
    CopyReport backup(DirHandle source, DirHandle target, String description, ManifestWriter manifest,
                      ProgressListener progress, Cancellation cancellation) throws CopyFailedException {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancellation, "cancellation");
        return new CopyRun(options, source, target, description, progress, cancellation,
                new ManifestRecorder(manifest)).run();
    }

    private static Path realDirectory(Path folder, String direction, String check, boolean create)
            throws CopyFailedException {
        try {
            if (create) {
                Files.createDirectories(folder);
            }
            Path real = folder.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new CopyFailedException("Cannot copy " + direction + " " + folder + ": it is not a directory",
                        false, false, null);
            }
            return real;
        } catch (IOException e) {
            throw new CopyFailedException("Cannot copy " + direction + " " + folder + ": " + IoErrors.describe(e)
                    + ". Check that " + check, false, false, e);
        }
    }

    private static DirHandle openRoot(Path folder, String direction, String check) throws CopyFailedException {
        try {
            return DirHandle.openRoot(folder);
        } catch (IOException e) {
            throw new CopyFailedException("Cannot copy " + direction + " " + folder + ": " + e.getMessage()
                    + ". Check that " + check, false, false, e);
        }
    }
}
