package dev.ferry.drivers;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open regular file (see {@link DirHandle#openRegularFile} and {@link DirHandle#createFile}): its content is
 * moved with {@code copy_file_range} (server-side or reflinked where the file system can, in the kernel
 * otherwise), falling back to {@code sendfile}, and its metadata is set through the handle.
 */
final class FileHandle implements AutoCloseable {

    private static final int DIGEST_BUFFER_BYTES = 256 * 1024;

    private final int fd;
    private final String path;
    private final AtomicBoolean closed = new AtomicBoolean();

    FileHandle(int fd, String path) {
        this.fd = fd;
        this.path = path;
    }

    String path() {
        return path;
    }

    Stat stat() throws IOException {
        byte[] buffer = new byte[LibC.STATX_BUFFER_BYTES];
        if (LibC.statx(fd, new byte[] {0}, LibC.AT_EMPTY_PATH, LibC.STATX_BASIC_STATS, buffer) != 0) {
            throw Errno.last("stat", path);
        }
        return Stat.parse(buffer);
    }

    /**
     * Moves up to {@code length} bytes from this file's position to {@code out}'s; returns the bytes moved, 0
     * at the end of this file.
     */
    long transferTo(FileHandle out, long length) throws IOException {
        long moved = LibC.copy_file_range(fd, null, out.fd, null, length, 0);
        if (moved >= 0) {
            return moved;
        }
        Errno error = Errno.last("copy", path);
        if (!(error.is(LibC.EXDEV) || error.is(LibC.EINVAL) || error.is(LibC.ENOSYS)
                || error.is(LibC.EOPNOTSUPP))) {
            throw error;
        }
        moved = LibC.sendfile(out.fd, fd, null, length);
        if (moved < 0) {
            throw Errno.last("copy", path);
        }
        return moved;
    }

    /** The SHA-256 of the content from the start, read through this handle. */
    byte[] sha256(StopSignal stop) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
        rewind();
        byte[] buffer = new byte[DIGEST_BUFFER_BYTES];
        while (true) {
            stop.check();
            long read = LibC.read(fd, buffer, buffer.length);
            if (read < 0) {
                throw Errno.last("read", path);
            }
            if (read == 0) {
                return digest.digest();
            }
            digest.update(buffer, 0, (int) read);
            stop.progressed("verifying '" + path + "'");
        }
    }

    void rewind() throws IOException {
        if (LibC.lseek(fd, 0, LibC.SEEK_SET) < 0) {
            throw Errno.last("seek", path);
        }
    }

    void truncate() throws IOException {
        if (LibC.ftruncate(fd, 0) != 0) {
            throw Errno.last("truncate", path);
        }
        rewind();
    }

    /** Reads up to {@code count} bytes at {@code offset} into the direct {@code buffer} (from its start). */
    int readAt(java.nio.ByteBuffer buffer, int count, long offset) throws IOException {
        while (true) {
            long read = LibC.pread(fd, buffer, count, offset);
            if (read >= 0) {
                return (int) read;
            }
            Errno error = Errno.last("read", path);
            if (!error.is(LibC.EINTR)) {
                throw error;
            }
        }
    }

    /** Writes all {@code count} bytes of the direct {@code buffer} (from its start) at {@code offset}. */
    void writeAt(java.nio.ByteBuffer buffer, int count, long offset) throws IOException {
        int done = 0;
        while (done < count) {
            java.nio.ByteBuffer rest = done == 0 ? buffer : buffer.slice(done, count - done);
            long written = LibC.pwrite(fd, rest, count - done, offset + done);
            if (written < 0) {
                Errno error = Errno.last("write", path);
                if (error.is(LibC.EINTR)) {
                    continue;
                }
                throw error;
            }
            done += (int) written;
        }
    }

    /** The offset of the first data at or after {@code offset}; -1 when only a hole follows (SEEK_DATA). */
    long dataFrom(long offset) throws IOException {
        return seek(offset, LibC.SEEK_DATA, "find data in");
    }

    /** The offset of the first hole at or after {@code offset}, the end counting as one (SEEK_HOLE). */
    long holeFrom(long offset) throws IOException {
        return seek(offset, LibC.SEEK_HOLE, "find holes in");
    }

    private long seek(long offset, int whence, String call) throws IOException {
        long found = LibC.lseek(fd, offset, whence);
        if (found >= 0) {
            return found;
        }
        Errno error = Errno.last(call, path);
        if (error.is(LibC.ENXIO)) {
            return -1;
        }
        throw error;
    }

    /** Sets the file's length (a longer file ends in a hole). */
    void setLength(long length) throws IOException {
        if (LibC.ftruncate(fd, length) != 0) {
            throw Errno.last("set the length of", path);
        }
    }

    /** The extended attributes Ferry keeps ({@link Xattrs#kept}). */
    java.util.List<Xattrs.Attribute> keptXattrs() throws IOException {
        return ExtendedAttributes.read(fd, path);
    }

    void setXattr(Xattrs.Attribute attribute) throws IOException {
        ExtendedAttributes.write(fd, attribute, path);
    }

    void chown(int uid, int gid) throws IOException {
        if (LibC.fchown(fd, uid, gid) != 0) {
            throw Errno.last("change owner of", path);
        }
    }

    void chmod(int mode) throws IOException {
        if (LibC.fchmod(fd, mode) != 0) {
            throw Errno.last("change mode of", path);
        }
    }

    void setTimes(long[] times) throws IOException {
        if (LibC.futimens(fd, times) != 0) {
            throw Errno.last("set times of", path);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibC.close(fd);
        }
    }
}
