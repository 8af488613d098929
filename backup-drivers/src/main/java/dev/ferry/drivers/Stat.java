package dev.ferry.drivers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * What {@code statx} says of one entry, read through its open handle or by name without following a link.
 *
 * @param mode    type and permission bits ({@code st_mode})
 * @param blocks  512-byte blocks allocated
 */
record Stat(int mode, int uid, int gid, long size, long blocks, long nlink, long inode, long device,
            long accessedSeconds, int accessedNanos, long modifiedSeconds, int modifiedNanos) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    static Stat parse(byte[] statx) {
        ByteBuffer b = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder());
        return new Stat(b.getShort(28) & 0xffff, b.getInt(20), b.getInt(24), b.getLong(40), b.getLong(48),
                b.getInt(16) & 0xffffffffL, b.getLong(32), ((long) b.getInt(136) << 32) | (b.getInt(140) & 0xffffffffL),
                b.getLong(64), b.getInt(72), b.getLong(112), b.getInt(120));
    }

    boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** The {@link DirEntries} type a listing gives for this entry; -1 for a fifo, socket or device. */
    int listingType() {
        if (isDirectory()) {
            return DirEntries.DT_DIR;
        }
        if (isRegularFile()) {
            return DirEntries.DT_REG;
        }
        return isSymbolicLink() ? DirEntries.DT_LNK : -1;
    }

    /** Permission bits with setuid, setgid and sticky. */
    int permissions() {
        return mode & 07777;
    }

    /** {@code {atime sec, atime nsec, mtime sec, mtime nsec}}: the argument of futimens and utimensat. */
    long[] times() {
        return new long[] {accessedSeconds, accessedNanos, modifiedSeconds, modifiedNanos};
    }

    FileTime modified() {
        return FileTime.from(TimeUnit.SECONDS.toNanos(modifiedSeconds) + modifiedNanos, TimeUnit.NANOSECONDS);
    }

    /** "directory", "file", "symbolic link" or "special file", for messages. */
    String kind() {
        if (isDirectory()) {
            return "directory";
        }
        if (isRegularFile()) {
            return "file";
        }
        return isSymbolicLink() ? "symbolic link" : "special file (fifo, socket or device)";
    }
}
