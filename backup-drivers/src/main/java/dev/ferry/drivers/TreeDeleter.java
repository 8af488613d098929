package dev.ferry.drivers;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Deletes a folder and everything in it through open directory handles, one entry at a time: a link is removed,
 * never followed, and a folder swapped for a link while the delete runs is removed as a link, so nothing outside
 * the folder is touched. Entries that vanish meanwhile (say, a second delete of the same folder) count as
 * deleted. A folder that keeps filling while it is emptied is listed again, a bounded number of times, then the
 * delete fails saying so. Holds one open directory per level of depth.
 */
final class TreeDeleter {

    /** Listings of one folder before the delete gives up on a folder that keeps being written to. */
    static final int MAX_PASSES = 20;

    /** A folder being emptied: its handle, its listing, its name in its parent, and how often it was listed. */
    private static final class Level {
        final DirHandle directory;
        final byte[] name;
        DirEntries entries;
        int passes = 1;
        boolean removedSomething;

        Level(DirHandle directory, byte[] name) throws IOException {
            this.directory = directory;
            this.name = name;
            this.entries = directory.entries();
        }
    }

    /** Removes {@code parent/name} and everything in it; nothing to do when it does not exist. */
    void deleteIfExists(DirHandle parent, byte[] name, Cancellation cancellation) throws IOException {
        StopSignal stop = new StopSignal(cancellation);
        if (removeNonDirectory(parent, name)) {
            return;
        }
        DirHandle top;
        try {
            top = parent.openDirectory(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT)) {
                return;
            }
            if (e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR)) {
                removeNonDirectory(parent, name); // swapped for a link or file just now
                return;
            }
            throw e;
        }
        Deque<Level> stack = new ArrayDeque<>();
        try {
            stack.push(new Level(top, name));
        } catch (IOException | RuntimeException e) {
            top.close();
            throw e;
        }
        try {
            empty(stack, stop);
        } finally {
            for (Level level : stack) {
                level.directory.close();
            }
        }
        removeDirectory(parent, name);
    }

    private void empty(Deque<Level> stack, StopSignal stop) throws IOException {
        while (!stack.isEmpty()) {
            stop.check();
            Level level = stack.peek();
            DirEntries.Entry entry = level.entries.next();
            if (entry != null) {
                level.removedSomething = true;
                stop.progressed("deleting '" + level.directory.pathOf(entry.name()) + "'");
                if (!removeNonDirectory(level.directory, entry.name())) {
                    DirHandle child = openOrNull(level.directory, entry.name());
                    if (child != null) {
                        if (stack.size() > CopyRun.MAX_DEPTH) {
                            child.close();
                            throw new IOException("the folder is deeper than " + CopyRun.MAX_DEPTH + " levels at '"
                                    + child.path() + "'; Ferry does not delete trees that deep");
                        }
                        try {
                            stack.push(new Level(child, entry.name()));
                        } catch (IOException | RuntimeException e) {
                            child.close();
                            throw e;
                        }
                    }
                }
                continue;
            }
            if (level.removedSomething) {
                // entries removed while listing may hide others; list again until a listing finds nothing
                if (level.passes++ >= MAX_PASSES) {
                    throw new IOException("'" + level.directory.path() + "' kept being written to while it was "
                            + "deleted (" + MAX_PASSES + " listings). Stop what writes there, then delete again");
                }
                level.removedSomething = false;
                level.entries = level.directory.entries();
                continue;
            }
            stack.pop();
            level.directory.close();
            if (!stack.isEmpty()) {
                removeDirectory(stack.peek().directory, level.name);
            }
        }
    }

    /** Removes a non-directory entry; true when it is gone (or was never there), false when it is a directory. */
    private static boolean removeNonDirectory(DirHandle directory, byte[] name) throws IOException {
        try {
            directory.unlink(name);
            return true;
        } catch (Errno e) {
            if (e.is(LibC.ENOENT)) {
                return true;
            }
            if (e.is(LibC.EISDIR) || e.is(LibC.EPERM) && isDirectory(directory.statEntryIfExists(name))) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isDirectory(Stat stat) {
        return stat != null && stat.isDirectory();
    }

    private static DirHandle openOrNull(DirHandle directory, byte[] name) throws IOException {
        try {
            return directory.openDirectory(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT)) {
                return null;
            }
            if (e.is(LibC.ELOOP) || e.is(LibC.ENOTDIR)) {
                removeNonDirectory(directory, name); // swapped for a link or file: remove that, never follow it
                return null;
            }
            throw e;
        }
    }

    private static void removeDirectory(DirHandle parent, byte[] name) throws IOException {
        try {
            parent.removeDirectory(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT)) {
                return;
            }
            if (e.is(LibC.ENOTDIR)) {
                removeNonDirectory(parent, name);
                return;
            }
            throw e;
        }
    }
}
