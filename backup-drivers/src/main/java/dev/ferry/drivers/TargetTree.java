package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The folder a copy writes into, and the only way the copy touches it. Every entry is addressed by a path
 * relative to the root, checked by {@link PathGuard}. Directories are made real before anything goes into
 * them: a symbolic link (or file) where the source has a directory is replaced, and the directory's real path
 * must then be exactly its expected path, so no link anywhere above it can redirect a write. Files and links
 * are only created in directories checked that way (the copy walks top-down), files are opened without
 * following a link at their own name, and a link or special file of the same name is removed first. A
 * directory is never removed to make room for a file or link: that fails the copy, since it would delete
 * data the source does not hold.
 *
 * <p>Limit: Java offers no openat-style calls, so a process writing into the target while the copy runs could
 * still swap a checked directory for a link between the check and a write (the same holds for Manila's cp).
 */
final class TargetTree {

    private static final Logger log = LoggerFactory.getLogger(TargetTree.class);

    private final Path root;
    private final PathGuard guard;
    private final AtomicBoolean touched = new AtomicBoolean();

    private TargetTree(Path realRoot) {
        this.root = realRoot;
        this.guard = new PathGuard(realRoot);
    }

    /** Opens (creating it if missing) the target root; the root is used as its real path. */
    static TargetTree open(Path targetRoot) throws IOException {
        Files.createDirectories(targetRoot);
        return new TargetTree(targetRoot.toRealPath());
    }

    Path root() {
        return root;
    }

    /** True once anything in the target was created, replaced or written. */
    boolean touched() {
        return touched.get();
    }

    /** Makes {@code relative} a real directory, replacing a symbolic link or non-directory of that name. */
    Path ensureDirectory(Path relative) throws IOException {
        Path path = guard.resolve(relative);
        BasicFileAttributes existing = lstat(path);
        if (existing == null || !existing.isDirectory()) {
            touched.set(true);
            if (existing != null) {
                log.info("Replacing the {} '{}' in the target with the directory of the same name from the source",
                        kind(existing), relative);
                Files.delete(path);
            }
            Files.createDirectory(path);
        }
        requireReal(relative, path);
        return path;
    }

    /** The path where a regular file goes: a symbolic link or special file there is removed first. */
    Path prepareFile(Path relative) throws IOException {
        Path path = guard.resolve(relative);
        BasicFileAttributes existing = lstat(path);
        if (existing != null && !existing.isRegularFile()) {
            removeNonDirectory(relative, path, existing, "file");
        }
        touched.set(true);
        return path;
    }

    /** Creates the symbolic link {@code relative -> linkText}, replacing a file or link of that name. */
    Path createLink(Path relative, Path linkText) throws IOException {
        Path path = guard.resolve(relative);
        BasicFileAttributes existing = lstat(path);
        if (existing != null) {
            removeNonDirectory(relative, path, existing, "symbolic link");
        }
        touched.set(true);
        Files.createSymbolicLink(path, linkText);
        return path;
    }

    private void removeNonDirectory(Path relative, Path path, BasicFileAttributes existing, String wanted)
            throws IOException {
        if (existing.isDirectory()) {
            throw new IOException("the target has a directory '" + relative + "' where the source has a " + wanted
                    + "; Ferry does not delete directories to make room. Move or remove that directory in the "
                    + "target, then run the operation again");
        }
        touched.set(true);
        Files.delete(path);
    }

    /** The directory's real path must be itself: no component is a symbolic link. */
    private static void requireReal(Path relative, Path directory) throws IOException {
        Path real = directory.toRealPath();
        if (!real.equals(directory)) {
            throw new UnsafePathException("refusing to write into '" + relative + "': " + directory + " resolves to "
                    + real + " (a symbolic link appeared in the target during the copy). Make sure nothing else "
                    + "writes to the target, then run the operation again");
        }
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "symbolic link";
        }
        return attributes.isRegularFile() ? "file" : "special file";
    }
}
