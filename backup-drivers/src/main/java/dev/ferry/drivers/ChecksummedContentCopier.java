package dev.ferry.drivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Copies one regular file's content through a buffer, taking its CRC32C on the same bytes it writes (one read),
 * and reads files to take their CRC32C. A sparse file (fewer blocks allocated than its size needs) is walked by
 * its data regions ({@code SEEK_DATA}/{@code SEEK_HOLE}): only data is read and written, the copy gets its length
 * with {@code ftruncate}, so its holes stay holes, and the checksum counts the holes as zeros, as a reader sees
 * them. Stops are checked and the copy's {@link ByteRateLimiter} is taken between chunks.
 *
 * <p>Each thread reuses one direct buffer per copier.
 */
final class ChecksummedContentCopier {

    /** The result of one copy: logical bytes, their CRC32C, and whether the file was copied as sparse. */
    record Copied(long bytes, int checksum, boolean sparse) {
    }

    private static final int MAX_BUFFER_BYTES = 1024 * 1024;
    private static final int ZERO_BYTES = 1024 * 1024;

    private final int bufferBytes;
    private final ByteRateLimiter limiter;
    private final ThreadLocal<ByteBuffer> buffers;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_BYTES).asReadOnlyBuffer();

    ChecksummedContentCopier(int chunkBytes, ByteRateLimiter limiter) {
        this.bufferBytes = Math.min(limiter.chunkBytes(chunkBytes), MAX_BUFFER_BYTES);
        this.limiter = limiter;
        this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(bufferBytes));
    }

    /** Whether a file of this metadata has holes: fewer 512-byte blocks allocated than its size needs. */
    static boolean isSparse(Stat metadata) {
        return metadata.size() > 0 && metadata.blocks() * 512 < metadata.size();
    }

    /**
     * Copies {@code size} bytes (the source's size when it was opened) from {@code in} to the new, empty {@code out},
     * reporting written bytes to {@code onBytes}. A source shrinking meanwhile gives fewer bytes; one growing is
     * copied as it was.
     */
    Copied copy(FileHandle in, FileHandle out, long size, boolean sparse, StopSignal stop, LongConsumer onBytes)
            throws IOException {
        CRC32C crc = new CRC32C();
        long bytes = sparse ? sparseRegions(in, out, size, crc, stop, onBytes)
                : region(in, out, 0, size, crc, stop, onBytes);
        if (sparse) {
            out.setLength(size);
        }
        return new Copied(bytes, (int) crc.getValue(), sparse);
    }

    /** The CRC32C of the first {@code size} bytes of {@code file} (holes read as zeros), and how many there were. */
    Copied checksum(FileHandle file, long size, boolean sparse, StopSignal stop, LongConsumer onBytes)
            throws IOException {
        CRC32C crc = new CRC32C();
        long bytes = sparse ? sparseRegions(file, null, size, crc, stop, onBytes)
                : region(file, null, 0, size, crc, stop, onBytes);
        return new Copied(bytes, (int) crc.getValue(), sparse);
    }

    private long sparseRegions(FileHandle in, FileHandle out, long size, CRC32C crc, StopSignal stop,
                               LongConsumer onBytes) throws IOException {
        long position = 0;
        while (position < size) {
            stop.check();
            long data = in.dataFrom(position);
            if (data < 0 || data >= size) {
                break;
            }
            long hole = Math.min(in.holeFrom(data), size);
            addZeros(crc, data - position);
            long end = data + region(in, out, data, hole, crc, stop, onBytes);
            if (end < hole) {
                return end; // the source shrank while being copied
            }
            position = end;
        }
        addZeros(crc, size - position);
        return size;
    }

    /** Copies [from, to) through the buffer; returns the bytes read (fewer when the source shrank). */
    private long region(FileHandle in, FileHandle out, long from, long to, CRC32C crc, StopSignal stop,
                        LongConsumer onBytes) throws IOException {
        ByteBuffer buffer = buffers.get();
        long position = from;
        while (position < to) {
            stop.check();
            int chunk = (int) Math.min(bufferBytes, to - position);
            if (out != null) {
                limiter.acquire(chunk, stop);
            }
            buffer.clear(); // the C calls read and write from the buffer's position
            int read = in.readAt(buffer, chunk, position);
            if (read <= 0) {
                break;
            }
            crc.update(buffer.limit(read));
            buffer.clear();
            if (out != null) {
                out.writeAt(buffer, read, position);
            }
            position += read;
            onBytes.accept(read);
        }
        return position - from;
    }

    private void addZeros(CRC32C crc, long count) {
        long left = count;
        while (left > 0) {
            int chunk = (int) Math.min(ZERO_BYTES, left);
            crc.update(zeros.duplicate().limit(chunk));
            left -= chunk;
        }
    }
}
