package dev.ferry.drivers;

import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * Copies one regular file's content between two open handles in chunks, in the kernel ({@code copy_file_range},
 * else {@code sendfile}), checking for a stop between chunks and taking each chunk from the copy's
 * {@link ByteRateLimiter} before writing it.
 */
final class FileContentCopier {

    private final int chunkBytes;
    private final ByteRateLimiter limiter;

    FileContentCopier(int chunkBytes, ByteRateLimiter limiter) {
        this.chunkBytes = limiter.chunkBytes(chunkBytes);
        this.limiter = limiter;
    }

    /**
     * Copies {@code size} bytes (the source's size when it was opened) from {@code in} to {@code out}, reporting
     * each chunk to {@code onBytes}. A source growing meanwhile is copied as it was when opened; one shrinking
     * gives fewer bytes.
     *
     * @return bytes copied
     */
    long copy(FileHandle in, FileHandle out, long size, StopSignal stop, LongConsumer onBytes) throws IOException {
        long position = 0;
        while (position < size) {
            stop.check();
            long chunk = Math.min(chunkBytes, size - position);
            limiter.acquire(chunk, stop);
            long copied = in.transferTo(out, chunk);
            if (copied <= 0) {
                break; // the source shrank while being copied
            }
            position += copied;
            onBytes.accept(copied);
        }
        return position;
    }
}
