package dev.ferry.drivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The folders a restore from a manifest works in, open on both sides (the backup's folder in the repository and
 * the target share), by backup-relative path. A manifest lists a directory before what it holds, but not
 * depth first (a backup's threads append files as they finish), so a folder may be needed again after others:
 * the most recently used {@value #MAX_OPEN} stay open, others are opened again from the nearest open ancestor,
 * one component at a time, never through a link. Memory and handles are bounded whatever the tree's size.
 *
 * <p>Only the walking thread looks folders up; a folder handed to a file task is held until the task releases
 * it, so evicting it never closes handles in use.
 */
final class RestoreFolders implements AutoCloseable {

    static final int MAX_OPEN = 64;

    /** One folder, open in the repository (null when the repository lacks it) and in the target. */
    static final class Folder {
        final byte[] path;
        final DirHandle source;
        final DirHandle target;
        private final boolean owned;
        private final AtomicInteger holds = new AtomicInteger(1);

        private Folder(byte[] path, DirHandle source, DirHandle target, boolean owned) {
            this.path = path;
            this.source = source;
            this.target = target;
            this.owned = owned;
        }

        void hold() {
            holds.incrementAndGet();
        }

        /** Gives back a hold; the last one closes the handles. */
        void release() {
            if (holds.decrementAndGet() == 0 && owned) {
                if (source != null) {
                    source.close();
                }
                target.close();
            }
        }
    }

    private final Folder root;
    private final LinkedHashMap<ByteBuffer, Folder> open = new LinkedHashMap<>(MAX_OPEN * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Folder> eldest) {
            if (size() > MAX_OPEN) {
                eldest.getValue().release();
                return true;
            }
            return false;
        }
    };

    /** The roots stay the caller's to close. */
    RestoreFolders(DirHandle sourceRoot, DirHandle targetRoot) {
        this.root = new Folder(new byte[0], sourceRoot, targetRoot, false);
    }

    /**
     * The folder at {@code path} ("" for the root), held for the caller, who releases it. Folders missing in the
     * target are not created here: that fails with the {@link Errno} of the opening.
     */
    Folder get(byte[] path) throws IOException {
        Folder folder = lookUp(path);
        folder.hold();
        return folder;
    }

    /** Records a folder the caller just opened on both sides; the handles become this cache's. */
    void put(byte[] path, DirHandle source, DirHandle target) {
        Folder previous = open.put(ByteBuffer.wrap(path), new Folder(path, source, target, true));
        if (previous != null) {
            previous.release();
        }
    }

    private Folder lookUp(byte[] path) throws IOException {
        if (path.length == 0) {
            return root;
        }
        Folder found = open.get(ByteBuffer.wrap(path));
        if (found != null) {
            return found;
        }
        // open from the nearest open ancestor, one component at a time
        List<Integer> slashes = new ArrayList<>();
        for (int i = 0; i < path.length; i++) {
            if (path[i] == '/') {
                slashes.add(i);
            }
        }
        slashes.add(path.length);
        Folder current = root;
        int start = 0;
        for (int k = slashes.size() - 2; k >= 0; k--) {
            Folder ancestor = open.get(ByteBuffer.wrap(path, 0, slashes.get(k)).slice());
            if (ancestor != null) {
                current = ancestor;
                start = k + 1;
                break;
            }
        }
        for (int k = start; k < slashes.size(); k++) {
            int from = k == 0 ? 0 : slashes.get(k - 1) + 1;
            byte[] name = java.util.Arrays.copyOfRange(path, from, slashes.get(k));
            byte[] prefix = java.util.Arrays.copyOf(path, slashes.get(k));
            DirHandle target = current.target.openDirectory(name);
            DirHandle source = null;
            try {
                source = current.source == null ? null : openIfDirectory(current.source, name);
            } catch (IOException | RuntimeException e) {
                target.close();
                throw e;
            }
            put(prefix, source, target);
            current = open.get(ByteBuffer.wrap(prefix));
        }
        return current;
    }

    /** A folder of the repository, or null when the repository does not hold it as a directory. */
    static DirHandle openIfDirectory(DirHandle parent, byte[] name) throws IOException {
        try {
            return parent.openDirectory(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT) || e.is(LibC.ENOTDIR) || e.is(LibC.ELOOP)) {
                return null;
            }
            throw e;
        }
    }

    /** Releases the folders still open; file tasks must be finished. */
    @Override
    public void close() {
        Iterator<Folder> folders = open.values().iterator();
        while (folders.hasNext()) {
            folders.next().release();
            folders.remove();
        }
    }
}
