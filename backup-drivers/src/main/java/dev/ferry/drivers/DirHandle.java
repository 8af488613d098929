package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open directory, and the only way Ferry touches a tenant's tree: every operation names this directory and
 * one entry in it ({@link Names#requireSingle}), and none follows a symbolic link at that entry. A directory
 * renamed or swapped for a link while Ferry works in it can therefore make an operation fail, but never make
 * it reach outside the tree it was opened in. Entries are named by bytes; {@code path} is this directory's path
 * below the walk's root, for messages only.
 */
final class DirHandle implements AutoCloseable {

    private static final byte[] EMPTY = {0};

    private final int fd;
    private final String path;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DirHandle(int fd, String path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Opens a root that Ferry chose or an operator configured (a mount point, a local export, the repository);
     * links in this path are followed, as any configured path's would be. Below it, nothing is.
     */
    static DirHandle openRoot(Path root) throws IOException {
        int fd = LibC.openat(LibC.AT_FDCWD, Names.c(Names.of(root.toString())),
                LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.last("open directory", root.toString());
        }
        return new DirHandle(fd, "");
    }

    /** This directory's path below the walk's root ("" for the root itself). */
    String path() {
        return path;
    }

    /** The path of an entry of this directory below the walk's root, for messages. */
    String pathOf(byte[] name) {
        return path.isEmpty() ? Names.display(name) : path + "/" + Names.display(name);
    }

    /** Opens the directory {@code name}; fails with ELOOP or ENOTDIR when it is a link or not a directory. */
    DirHandle openDirectory(byte[] name) throws IOException {
        int fd2 = LibC.openat(fd, c(name), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd2 < 0) {
            throw Errno.last("open directory", pathOf(name));
        }
        return new DirHandle(fd2, pathOf(name));
    }

    /**
     * Opens {@code name} for reading without blocking and without following a link, and keeps it only if the
     * open handle is a regular file: null when it is anything else (a fifo, socket or device is never read).
     */
    FileHandle openRegularFile(byte[] name) throws IOException {
        int fd2 = LibC.openat(fd, c(name),
                LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOFOLLOW | LibC.O_NOCTTY | LibC.O_CLOEXEC, 0);
        if (fd2 < 0) {
            throw Errno.last("open file", pathOf(name));
        }
        FileHandle file = new FileHandle(fd2, pathOf(name));
        try {
            if (file.stat().isRegularFile()) {
                return file;
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        file.close();
        return null;
    }

    /** Creates the new regular file {@code name} (read-write; EEXIST if anything has that name, a link included). */
    FileHandle createFile(byte[] name, int mode) throws IOException {
        int fd2 = LibC.openat(fd, c(name),
                LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_NOCTTY | LibC.O_CLOEXEC, mode);
        if (fd2 < 0) {
            throw Errno.last("create file", pathOf(name));
        }
        return new FileHandle(fd2, pathOf(name));
    }

    /** Makes the directory {@code name}; false when something of that name exists already. */
    boolean makeDirectory(byte[] name, int mode) throws IOException {
        if (LibC.mkdirat(fd, c(name), mode) == 0) {
            return true;
        }
        Errno error = Errno.last("create directory", pathOf(name));
        if (error.is(LibC.EEXIST)) {
            return false;
        }
        throw error;
    }

    void symlink(byte[] name, byte[] target) throws IOException {
        if (LibC.symlinkat(Names.c(target), fd, c(name)) != 0) {
            throw Errno.last("create symbolic link", pathOf(name));
        }
    }

    byte[] readLink(byte[] name) throws IOException {
        byte[] buffer = new byte[4097];
        long length = LibC.readlinkat(fd, c(name), buffer, buffer.length);
        if (length < 0) {
            throw Errno.last("read symbolic link", pathOf(name));
        }
        if (length >= buffer.length) {
            throw new IOException("read symbolic link '" + pathOf(name) + "': its text is longer than 4,096 bytes");
        }
        return java.util.Arrays.copyOf(buffer, (int) length);
    }

    /** lstat of one entry: what {@code name} is now, a link not followed. */
    Stat statEntry(byte[] name) throws IOException {
        byte[] buffer = new byte[LibC.STATX_BUFFER_BYTES];
        if (LibC.statx(fd, c(name), LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS, buffer) != 0) {
            throw Errno.last("stat", pathOf(name));
        }
        return Stat.parse(buffer);
    }

    /** lstat of one entry, or null when nothing has that name (it vanished). */
    Stat statEntryIfExists(byte[] name) throws IOException {
        try {
            return statEntry(name);
        } catch (Errno e) {
            if (e.is(LibC.ENOENT)) {
                return null;
            }
            throw e;
        }
    }

    /** fstat of this directory. */
    Stat stat() throws IOException {
        byte[] buffer = new byte[LibC.STATX_BUFFER_BYTES];
        if (LibC.statx(fd, EMPTY, LibC.AT_EMPTY_PATH, LibC.STATX_BASIC_STATS, buffer) != 0) {
            throw Errno.last("stat", path.isEmpty() ? "." : path);
        }
        return Stat.parse(buffer);
    }

    /**
     * Makes {@code name} a hard link to {@code existingPath}, a path below {@code root} ('/'-separated). Only for
     * trees Ferry alone writes (the backup repository): the path's folders are resolved as they are.
     */
    void hardLink(byte[] name, DirHandle root, byte[] existingPath) throws IOException {
        if (LibC.linkat(root.fd, Names.c(existingPath), fd, c(name), 0) != 0) {
            throw Errno.last("link to '" + Names.display(existingPath) + "' as", pathOf(name));
        }
    }

    /** The extended attributes of this directory that Ferry keeps ({@link Xattrs#kept}). */
    java.util.List<Xattrs.Attribute> keptXattrs() throws IOException {
        return ExtendedAttributes.read(fd, path.isEmpty() ? "." : path);
    }

    void setXattr(Xattrs.Attribute attribute) throws IOException {
        ExtendedAttributes.write(fd, attribute, path.isEmpty() ? "." : path);
    }

    /** Removes a non-directory entry (a link is removed, not its target); EISDIR for a directory. */
    void unlink(byte[] name) throws IOException {
        if (LibC.unlinkat(fd, c(name), 0) != 0) {
            throw Errno.last("remove", pathOf(name));
        }
    }

    /** Removes an empty directory entry. */
    void removeDirectory(byte[] name) throws IOException {
        if (LibC.unlinkat(fd, c(name), LibC.AT_REMOVEDIR) != 0) {
            throw Errno.last("remove directory", pathOf(name));
        }
    }

    /** Renames {@code from} over {@code to}, both in this directory (never over a non-empty directory). */
    void rename(byte[] from, byte[] to) throws IOException {
        if (LibC.renameat(fd, c(from), fd, c(to)) != 0) {
            throw Errno.last("rename to", pathOf(to));
        }
    }

    /** Owner and times of the entry {@code name} itself (for symbolic links, which cannot be opened). */
    void setEntryOwnerAndTimes(byte[] name, int uid, int gid, long[] times, boolean keepOwner) throws IOException {
        byte[] cName = c(name);
        if (keepOwner && LibC.fchownat(fd, cName, uid, gid, LibC.AT_SYMLINK_NOFOLLOW) != 0) {
            throw Errno.last("change owner of", pathOf(name));
        }
        if (LibC.utimensat(fd, cName, times, LibC.AT_SYMLINK_NOFOLLOW) != 0) {
            throw Errno.last("set times of", pathOf(name));
        }
    }

    void chown(int uid, int gid) throws IOException {
        if (LibC.fchown(fd, uid, gid) != 0) {
            throw Errno.last("change owner of", path.isEmpty() ? "." : path);
        }
    }

    void chmod(int mode) throws IOException {
        if (LibC.fchmod(fd, mode) != 0) {
            throw Errno.last("change mode of", path.isEmpty() ? "." : path);
        }
    }

    void setTimes(long[] times) throws IOException {
        if (LibC.futimens(fd, times) != 0) {
            throw Errno.last("set times of", path.isEmpty() ? "." : path);
        }
    }

    /** The entries of this directory, read in batches from the start (see {@link DirEntries}). */
    DirEntries entries() throws IOException {
        if (LibC.lseek(fd, 0, LibC.SEEK_SET) < 0) {
            throw Errno.last("rewind directory", path.isEmpty() ? "." : path);
        }
        return new DirEntries(fd, this);
    }

    /** Makes {@code name} here a hard link to the entry {@code existing} of {@code from} (never following a link). */
    void link(DirHandle from, byte[] existing, byte[] name) throws IOException {
        if (LibC.linkat(from.fd, c(existing), fd, c(name), 0) != 0) {
            throw Errno.last("link", pathOf(name));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibC.close(fd);
        }
    }

    private static byte[] c(byte[] name) throws UnsafePathException {
        return Names.c(Names.requireSingle(name));
    }
}
