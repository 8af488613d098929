package dev.ferry.drivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads one directory's entries with {@code getdents64}, a batch at a time into a small buffer, so that a
 * folder of a million entries costs no more memory than one of ten. Skips "." and "..". Not thread-safe.
 */
final class DirEntries {

    /** Bytes read per system call: about 200 entries of usual name lengths. */
    static final int BUFFER_BYTES = 8192;

    static final int DT_UNKNOWN = 0;
    static final int DT_DIR = 4;
    static final int DT_REG = 8;
    static final int DT_LNK = 10;

    /** One entry: its name and the type the listing gave ({@link #DT_UNKNOWN} when the file system gives none). */
    record Entry(byte[] name, int type) {
    }

    private final int fd;
    private final DirHandle directory;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
    private int position;
    private int limit;
    private boolean end;

    DirEntries(int fd, DirHandle directory) {
        this.fd = fd;
        this.directory = directory;
    }

    /** The next entry, or null at the end. */
    Entry next() throws IOException {
        while (true) {
            if (position >= limit) {
                if (end || !fill()) {
                    return null;
                }
            }
            int recordLength = view.getShort(position + 16) & 0xffff;
            int type = buffer[position + 18] & 0xff;
            int nameStart = position + 19;
            int nameEnd = nameStart;
            int recordEnd = position + recordLength;
            while (nameEnd < recordEnd && buffer[nameEnd] != 0) {
                nameEnd++;
            }
            position = recordEnd;
            byte[] name = Arrays.copyOfRange(buffer, nameStart, nameEnd);
            if (!Names.isDotOrDotDot(name)) {
                return new Entry(name, type);
            }
        }
    }

    private boolean fill() throws IOException {
        long read = LibC.getdents64(fd, buffer, buffer.length);
        if (read < 0) {
            throw Errno.last("list directory", directory.path().isEmpty() ? "." : directory.path());
        }
        position = 0;
        limit = (int) read;
        if (read == 0) {
            end = true;
            return false;
        }
        return true;
    }
}
