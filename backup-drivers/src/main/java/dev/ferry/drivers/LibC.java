package dev.ferry.drivers;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The C library's file-system calls that Java 17 lacks, bound with JNA's direct mapping: every call names an
 * open directory and one entry in it, so no path is ever resolved through a tenant's tree. Flag values are
 * Linux's, which differ between x86-64 and AArch64 for {@code O_DIRECTORY} and {@code O_NOFOLLOW}. Paths are
 * NUL-terminated byte arrays (file names are bytes, not text). On failure a call returns -1 and
 * {@link Native#getLastError()} holds errno.
 */
final class LibC {

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;

    static {
        String arch = System.getProperty("os.arch");
        if (!Platform.isLinux()) {
            throw new ExceptionInInitializerError("Ferry's data node runs on Linux only (this is "
                    + System.getProperty("os.name") + ")");
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            O_DIRECTORY = 0200000;
            O_NOFOLLOW = 0400000;
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            O_DIRECTORY = 040000;
            O_NOFOLLOW = 0100000;
        } else {
            throw new ExceptionInInitializerError("Ferry's data node supports x86-64 and AArch64 Linux; this JVM "
                    + "runs on " + arch);
        }
    }

    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_BUFFER_BYTES = 256;
    static final int SEEK_SET = 0;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final long UTIME_OMIT = (1L << 30) - 2L;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int E2BIG = 7;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ERANGE = 34;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int ENODATA = 61;
    static final int EOPNOTSUPP = 95;

    private LibC() {
    }

    static native int openat(int dirfd, byte[] path, int flags, int mode);

    static native int close(int fd);

    static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buffer);

    static native int mkdirat(int dirfd, byte[] path, int mode);

    static native int symlinkat(byte[] target, int dirfd, byte[] path);

    static native long readlinkat(int dirfd, byte[] path, byte[] buffer, long size);

    static native int unlinkat(int dirfd, byte[] path, int flags);

    static native int renameat(int oldDirfd, byte[] oldPath, int newDirfd, byte[] newPath);

    static native int fchmod(int fd, int mode);

    static native int fchown(int fd, int uid, int gid);

    static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags);

    static native int futimens(int fd, long[] times);

    static native int utimensat(int dirfd, byte[] path, long[] times, int flags);

    static native long getdents64(int fd, byte[] buffer, long size);

    static native long copy_file_range(int in, Pointer inOffset, int out, Pointer outOffset, long length, int flags);

    static native long sendfile(int out, int in, Pointer offset, long count);

    static native long read(int fd, byte[] buffer, long count);

    static native long write(int fd, byte[] buffer, long count);

    static native long lseek(int fd, long offset, int whence);

    static native int ftruncate(int fd, long length);

    /**
     * Reads into a direct buffer at its current position (JNA passes the buffer's address plus its position, and
     * ignores its limit): clear the buffer, or pass a slice, before each call.
     */
    static native long read(int fd, java.nio.ByteBuffer buffer, long count);

    /** Writes from a direct buffer, starting at its current position, as {@code read} does. */
    static native long write(int fd, java.nio.ByteBuffer buffer, long count);

    /** Reads at {@code offset} into a direct buffer at its current position, as {@code read} does. */
    static native long pread(int fd, java.nio.ByteBuffer buffer, long count, long offset);

    /** Writes at {@code offset} from a direct buffer, starting at its current position, as {@code read} does. */
    static native long pwrite(int fd, java.nio.ByteBuffer buffer, long count, long offset);

    static native int fsync(int fd);

    static native int linkat(int oldDirfd, byte[] oldPath, int newDirfd, byte[] newPath, int flags);

    static native long flistxattr(int fd, byte[] list, long size);

    static native long fgetxattr(int fd, byte[] name, byte[] value, long size);

    static native int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags);

    static native int fremovexattr(int fd, byte[] name);

    static native String strerror(int errno);
}
