package dev.ferry.drivers;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Resolves relative paths under a root and refuses any that could lead outside it: absolute paths, paths
 * with {@code ..} segments, and the empty path. It works on names only; symbolic links already on disk are
 * {@link TargetTree}'s concern.
 */
public final class PathGuard {

    private final Path root;

    /** @param root an absolute folder; it is normalized */
    public PathGuard(Path root) {
        Objects.requireNonNull(root, "root");
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("PathGuard root must be absolute, was " + root);
        }
        this.root = root.normalize();
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) throws UnsafePathException {
        Objects.requireNonNull(relative, "relative");
        return resolve(root.getFileSystem().getPath(relative));
    }

    /** {@code root/relative}, or an exception saying why that would not stay inside the root. */
    public Path resolve(Path relative) throws UnsafePathException {
        Objects.requireNonNull(relative, "relative");
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new UnsafePathException("refusing absolute path '" + relative + "': only paths relative to "
                    + root + " may be written");
        }
        if (relative.toString().isEmpty()) {
            throw new UnsafePathException("refusing the empty path: it names " + root + " itself");
        }
        for (Path name : relative) {
            if (name.toString().equals("..")) {
                throw new UnsafePathException("refusing path '" + relative + "': it contains '..' and could lead "
                        + "outside " + root);
            }
        }
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new UnsafePathException("refusing path '" + relative + "': it resolves to " + resolved
                    + ", which is not inside " + root);
        }
        return resolved;
    }
}
