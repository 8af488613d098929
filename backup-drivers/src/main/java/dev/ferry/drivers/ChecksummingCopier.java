package dev.ferry.drivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Copies a file's content through a buffer, computing its CRC32C on the way (one read of the source), and reads
 * files to checksum them. A sparse copy writes no all-zero block of {@value #BLOCK} bytes, leaving holes, and sets
 * the length at the end. Buffers are direct, one per thread at work, reused.
 */
final class ChecksummingCopier {

    static final int BLOCK = 4096;
    private static final int MAX_BUFFER_BYTES = 1024 * 1024;

    /** What was read: its length and CRC32C. */
    record Content(long bytes, int crc32c) {
    }

    private final int bufferBytes;
    private final ByteRateLimiter limiter;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(BLOCK);
    private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();

    ChecksummingCopier(int chunkBytes, ByteRateLimiter limiter) {
        int limited = Math.min(limiter.chunkBytes(chunkBytes), MAX_BUFFER_BYTES);
        this.bufferBytes = Math.max(BLOCK, limited / BLOCK * BLOCK);
        this.limiter = limiter;
    }

    /**
     * Copies {@code in} from its start to {@code out} (empty, at its start), up to {@code expectedBytes} (the
     * size the caller checked on the open source: reading no further saves a call per file). A source that ends
     * sooner, or gives more within the last buffer, returns another length, and the caller throws the copy away.
     */
    Content copy(FileHandle in, FileHandle out, long expectedBytes, boolean sparse, StopSignal stop,
                 LongConsumer onBytes) throws IOException {
        ByteBuffer buffer = take();
        try {
            CRC32C crc = new CRC32C();
            long position = 0;
            while (position < expectedBytes) {
                stop.check();
                int read = in.readAt(buffer, bufferBytes, position);
                if (read == 0) {
                    break;
                }
                limiter.acquire(read, stop);
                crc.update(buffer.clear().limit(read));
                buffer.clear(); // the C calls read and write from the buffer's position: keep it at 0
                if (sparse) {
                    writeSkippingZeros(out, buffer, read, position);
                } else {
                    out.writeAt(buffer, read, position);
                }
                position += read;
                onBytes.accept(read);
            }
            if (sparse) {
                out.setLength(position);
            }
            return new Content(position, (int) crc.getValue());
        } finally {
            buffers.add(buffer);
        }
    }

    /**
     * Reads {@code in} from its start, up to {@code expectedBytes} (its size as the caller saw it: reading no
     * further saves a call per file); fewer bytes come back when it ends sooner.
     */
    Content checksum(FileHandle in, long expectedBytes, StopSignal stop) throws IOException {
        ByteBuffer buffer = take();
        try {
            CRC32C crc = new CRC32C();
            long position = 0;
            while (position < expectedBytes) {
                stop.check();
                int read = in.readAt(buffer, bufferBytes, position);
                if (read == 0) {
                    break;
                }
                crc.update(buffer.clear().limit(read));
                buffer.clear(); // the C calls read and write from the buffer's position: keep it at 0
                position += read;
                stop.progressed("comparing '" + in.path() + "'");
            }
            return new Content(position, (int) crc.getValue());
        } finally {
            buffers.add(buffer);
        }
    }

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

    private ByteBuffer take() {
        ByteBuffer buffer = buffers.poll();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(bufferBytes);
    }
}
