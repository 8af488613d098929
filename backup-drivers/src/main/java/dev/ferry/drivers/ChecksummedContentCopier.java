package dev.ferry.drivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Copies one regular file's content through a direct buffer, taking its CRC32C on the same bytes it writes (one
 * read), and reads files to take their CRC32C. Backups and restores both copy through it, in two ways:
 * <ul>
 *   <li>{@link #copy}/{@link #checksum} read exactly the size the caller saw. A sparse source (fewer blocks
 *       allocated than its size needs) is walked by its data regions ({@code SEEK_DATA}/{@code SEEK_HOLE}): only
 *       data is read and written, the copy gets its length with {@code ftruncate}, so its holes stay holes, and
 *       the checksum counts the holes as zeros, as a reader sees them.</li>
 *   <li>{@link #copyExpecting}/{@link #checksumExpecting} read whole buffers up to an expected size, so a file
 *       that ends sooner, or gives more within the last buffer, shows another length (reading no further saves a
 *       call per file). Such a copy can leave every all-zero block of {@value #BLOCK} bytes as a hole.</li>
 * </ul>
 * Stops are checked between chunks, and the copier's {@link ByteRateLimiter} is taken for each chunk written.
 * Buffers are reused, one per thread at work. JNA passes a direct buffer from its current position, and
 * {@link CRC32C#update(ByteBuffer)} advances it, so the buffer is cleared before each native call.
 */
final class ChecksummedContentCopier {

    /** The block an all-zero run is left as a hole in: the usual file system block. */
    static final int BLOCK = 4096;

    /** The result of one copy: logical bytes, their CRC32C, and whether the file was copied as sparse. */
    record Copied(long bytes, int checksum, boolean sparse) {
    }

    private static final int MAX_BUFFER_BYTES = 1024 * 1024;
    private static final int ZERO_BYTES = 1024 * 1024;

    /** The most read at a time when reading exactly a size: the configured chunk within the rate's budget. */
    private final int chunkBytes;
    /** What is read at a time when reading whole buffers: {@link #chunkBytes} in whole blocks, at least one. */
    private final int wholeBytes;
    private final ByteRateLimiter limiter;
    private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_BYTES).asReadOnlyBuffer();

    ChecksummedContentCopier(int chunkBytes, ByteRateLimiter limiter) {
        this.chunkBytes = Math.min(limiter.chunkBytes(chunkBytes), MAX_BUFFER_BYTES);
        this.wholeBytes = Math.max(BLOCK, this.chunkBytes / BLOCK * BLOCK);
        this.limiter = limiter;
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
        Copied copied = exactly(in, out, size, sparse, stop, onBytes);
        if (sparse) {
            out.setLength(size);
        }
        return copied;
    }

    /** The CRC32C of the first {@code size} bytes of {@code file} (holes read as zeros), and how many there were. */
    Copied checksum(FileHandle file, long size, boolean sparse, StopSignal stop, LongConsumer onBytes)
            throws IOException {
        return exactly(file, null, size, sparse, stop, onBytes);
    }

    /**
     * Copies {@code in} from its start to {@code out} (empty, at its start), up to {@code expectedBytes} (the size
     * the caller expects). A source that ends sooner, or gives more within the last buffer, returns another
     * length, and the caller throws the copy away. With {@code leaveHoles}, no all-zero block is written and the
     * copy gets its length at the end.
     */
    Copied copyExpecting(FileHandle in, FileHandle out, long expectedBytes, boolean leaveHoles, StopSignal stop,
                         LongConsumer onBytes) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = take();
        long bytes;
        try {
            bytes = pass(buffer, in, out, 0, expectedBytes, true, leaveHoles, crc, stop, onBytes);
        } finally {
            buffers.add(buffer);
        }
        if (leaveHoles) {
            out.setLength(bytes);
        }
        return new Copied(bytes, (int) crc.getValue(), leaveHoles);
    }

    /**
     * Reads {@code file} from its start, up to {@code expectedBytes} (its size as the caller saw it); another
     * length comes back when it ends sooner, or gives more within the last buffer.
     */
    Copied checksumExpecting(FileHandle file, long expectedBytes, StopSignal stop, LongConsumer onBytes)
            throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = take();
        try {
            long bytes = pass(buffer, file, null, 0, expectedBytes, true, false, crc, stop, onBytes);
            return new Copied(bytes, (int) crc.getValue(), false);
        } finally {
            buffers.add(buffer);
        }
    }

    private Copied exactly(FileHandle in, FileHandle out, long size, boolean sparse, StopSignal stop,
                           LongConsumer onBytes) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = take();
        try {
            long bytes = sparse ? sparseRegions(buffer, in, out, size, crc, stop, onBytes)
                    : pass(buffer, in, out, 0, size, false, false, crc, stop, onBytes);
            return new Copied(bytes, (int) crc.getValue(), sparse);
        } finally {
            buffers.add(buffer);
        }
    }

    private long sparseRegions(ByteBuffer buffer, FileHandle in, FileHandle out, long size, CRC32C crc,
                               StopSignal stop, LongConsumer onBytes) throws IOException {
        long position = 0;
        while (position < size) {
            stop.check();
            long data = in.dataFrom(position);
            if (data < 0 || data >= size) {
                break;
            }
            long hole = Math.min(in.holeFrom(data), size);
            addZeros(crc, data - position);
            long end = data + pass(buffer, in, out, data, hole, false, false, crc, stop, onBytes);
            if (end < hole) {
                return end; // the source shrank while being copied
            }
            position = end;
        }
        addZeros(crc, size - position);
        return size;
    }

    /**
     * Copies [from, to) through the buffer (only reads it when {@code out} is null); with {@code wholeBuffers}
     * each read asks for a whole buffer, so the last one can go past {@code to}. Returns the bytes read.
     */
    private long pass(ByteBuffer buffer, FileHandle in, FileHandle out, long from, long to, boolean wholeBuffers,
                      boolean leaveHoles, CRC32C crc, StopSignal stop, LongConsumer onBytes) throws IOException {
        long position = from;
        while (position < to) {
            stop.check();
            int chunk = wholeBuffers ? wholeBytes : (int) Math.min(chunkBytes, to - position);
            buffer.clear();
            int read = in.readAt(buffer, chunk, position);
            if (read <= 0) {
                break;
            }
            if (out != null) {
                limiter.acquire(read, stop);
            }
            crc.update(buffer.limit(read));
            buffer.clear();
            if (out != null) {
                if (leaveHoles) {
                    writeSkippingZeros(out, buffer, read, position);
                } else {
                    out.writeAt(buffer, read, position);
                }
            }
            position += read;
            onBytes.accept(read);
        }
        return position - from;
    }

    /** Writes the buffer's first {@code length} bytes at {@code offset}, skipping each all-zero block. */
    private void writeSkippingZeros(FileHandle out, ByteBuffer buffer, int length, long offset) throws IOException {
        int runStart = -1;
        for (int block = 0; block < length; block += BLOCK) {
            int blockLength = Math.min(BLOCK, length - block);
            boolean zero = buffer.slice(block, blockLength).mismatch(zeros.slice(0, blockLength)) == -1;
            if (!zero && runStart < 0) {
                runStart = block;
            } else if (zero && runStart >= 0) {
                out.writeAt(buffer.slice(runStart, block - runStart), block - runStart, offset + runStart);
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            out.writeAt(buffer.slice(runStart, length - runStart), length - runStart, offset + runStart);
        }
    }

    private void addZeros(CRC32C crc, long count) {
        long left = count;
        while (left > 0) {
            int chunk = (int) Math.min(ZERO_BYTES, left);
            crc.update(zeros.duplicate().limit(chunk));
            left -= chunk;
        }
    }

    private ByteBuffer take() {
        ByteBuffer buffer = buffers.poll();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(Math.max(chunkBytes, wholeBytes));
    }
}
