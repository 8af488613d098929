package dev.ferry.drivers;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Sizes a tree through open directory handles, never following a link: the first pass of a copy (for its
 * progress) and the used space of a share. Counts regular files' apparent sizes, regular files and symbolic
 * links; skips the ignore list. Entries that vanish meanwhile count nothing. Holds one open directory and one
 * small buffer per level of depth, however many directories the tree has.
 */
final class TreeSizer {

    private final IgnoreList ignore;

    TreeSizer(IgnoreList ignore) {
        this.ignore = ignore;
    }

    TreeSize size(DirHandle root, StopSignal stop) throws IOException {
        long bytes = 0;
        long files = 0;
        Deque<DirEntries> stack = new ArrayDeque<>();
        Deque<DirHandle> open = new ArrayDeque<>();
        stack.push(root.entries());
        open.push(root);
        try {
            while (!stack.isEmpty()) {
                stop.check();
                DirEntries.Entry entry = stack.peek().next();
                DirHandle directory = open.peek();
                if (entry == null) {
                    stack.pop();
                    DirHandle done = open.pop();
                    if (done != root) {
                        done.close();
                    }
                    continue;
                }
                byte[] name = entry.name();
                if (ignore.ignores(name)) {
                    continue;
                }
                stop.progressed("measuring '" + directory.pathOf(name) + "'");
                int type = entry.type();
                Stat stat = null;
                if (type == DirEntries.DT_UNKNOWN || type == DirEntries.DT_REG) {
                    stat = directory.statEntryIfExists(name);
                    if (stat == null) {
                        continue;
                    }
                    type = stat.listingType();
                }
                if (type == DirEntries.DT_REG) {
                    bytes += stat.size();
                    files++;
                } else if (type == DirEntries.DT_LNK) {
                    files++;
                } else if (type == DirEntries.DT_DIR) {
                    if (stack.size() > CopyRun.MAX_DEPTH) {
                        throw new IOException("the tree is deeper than " + CopyRun.MAX_DEPTH + " folders at '"
                                + directory.pathOf(name) + "'; Ferry does not copy or measure trees that deep");
                    }
                    DirHandle child = openOrNull(directory, name);
                    if (child != null) {
                        open.push(child);
                        stack.push(child.entries());
                    }
                }
            }
        } finally {
            for (DirHandle directory : open) {
                if (directory != root) {
                    directory.close();
                }
            }
        }
        return new TreeSize(bytes, files);
    }

    /** The subdirectory, or null when it vanished or is no longer a directory (then it counts nothing). */
    private static DirHandle openOrNull(DirHandle directory, byte[] name) throws IOException {
        try {
            return directory.openDirectory(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT) || e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR)) {
                return null;
            }
            throw e;
        }
    }
}
