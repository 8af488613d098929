package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Ferry's copy engine: copies the tree under a source folder into a target folder, overlaying what the target
 * already holds (files of the same name are overwritten, other files are left alone).
 *
 * <ul>
 *   <li>The source is walked without following symbolic links; links are recreated with the same link text.
 *   <li>Regular files are copied on {@code copyThreads} threads with the kernel's zero-copy path; directories
 *       are created; fifos, sockets and devices are skipped and counted.
 *   <li>Permission bits, owners (best effort) and times are kept on files, links and directories; a
 *       directory's metadata is applied after its content, deepest first. The target root keeps its own.
 *   <li>Names on the ignore list are skipped at any depth.
 *   <li>Nothing is written outside the target root, whatever the source holds and whatever links the target
 *       already holds ({@link TargetTree}).
 *   <li>Progress goes to a {@link ProgressListener}; a {@link Cancellation} stops the copy between files and
 *       between chunks of a file.
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
     * Copies the tree under {@code sourceRoot} into {@code targetRoot} (created if missing).
     *
     * @throws CopyFailedException when the copy failed or was cancelled; it says whether the target was touched
     */
    public CopyReport copy(Path sourceRoot, Path targetRoot, ProgressListener progress, Cancellation cancellation)
            throws CopyFailedException {
        Objects.requireNonNull(sourceRoot, "sourceRoot");
        Objects.requireNonNull(targetRoot, "targetRoot");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancellation, "cancellation");
        Path source = openSource(sourceRoot);
        TargetTree target = openTarget(targetRoot, source);
        return new CopyRun(options, source, target, progress, cancellation).run();
    }

    private static Path openSource(Path sourceRoot) throws CopyFailedException {
        Path source;
        try {
            source = sourceRoot.toRealPath();
        } catch (IOException e) {
            throw new CopyFailedException("Cannot copy from " + sourceRoot + ": " + IoErrors.describe(e)
                    + ". Check that the source folder exists and is readable", false, false, e);
        }
        if (!Files.isDirectory(source)) {
            throw new CopyFailedException("Cannot copy from " + sourceRoot + ": it is not a directory", false, false,
                    null);
        }
        return source;
    }

    private static TargetTree openTarget(Path targetRoot, Path source) throws CopyFailedException {
        TargetTree target;
        try {
            target = TargetTree.open(targetRoot);
        } catch (IOException e) {
            throw new CopyFailedException("Cannot copy into " + targetRoot + ": " + IoErrors.describe(e)
                    + ". Check that the target folder exists and is writable", false, false, e);
        }
        if (target.root().startsWith(source) || source.startsWith(target.root())) {
            throw new CopyFailedException("Cannot copy " + source + " into " + target.root()
                    + ": one folder contains the other. Choose a target outside the source", false, false, null);
        }
        return target;
    }
}
