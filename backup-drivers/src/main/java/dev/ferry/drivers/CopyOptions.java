package dev.ferry.drivers;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link TreeCopier} copies.
 *
 * @param ignoreFiles      base names skipped at any depth (a directory of that name is not descended into)
 * @param copyThreads      threads copying file content in parallel (at least 1)
 * @param verifyChecksums  read every written file back: a backup compares its CRC32C with the one taken while
 *                         copying, other copies compare SHA-256 of source and copy; a mismatch is retried once
 * @param chunkBytes       bytes handed to the kernel per transfer call; cancellation and progress are checked
 *                         between chunks
 * @param progressInterval least time between two progress reports (the first and last are always sent)
 * @param maxBytesPerSecond most bytes of file content one copy writes per second, all its threads together;
 *                          0 means unlimited. When set, chunks shrink to a tenth of a second's budget
 */
public record CopyOptions(List<String> ignoreFiles, int copyThreads, boolean verifyChecksums, int chunkBytes,
                          Duration progressInterval, long maxBytesPerSecond) {

    public static final int DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMillis(200);

    public CopyOptions {
        ignoreFiles = List.copyOf(Objects.requireNonNull(ignoreFiles, "ignoreFiles"));
        for (String name : ignoreFiles) {
            if (name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("ignore list entry '" + name
                        + "' is not a base name; list file or directory names such as lost+found, without '/'");
            }
        }
        if (copyThreads < 1) {
            throw new IllegalArgumentException("copyThreads must be at least 1, was " + copyThreads);
        }
        if (chunkBytes < 4096) {
            throw new IllegalArgumentException("chunkBytes must be at least 4096, was " + chunkBytes);
        }
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.isNegative()) {
            throw new IllegalArgumentException("progressInterval cannot be negative, was " + progressInterval);
        }
        if (maxBytesPerSecond < 0) {
            throw new IllegalArgumentException("maxBytesPerSecond cannot be negative, was " + maxBytesPerSecond
                    + "; use 0 for no limit");
        }
    }

    /**
     * The given ignore list, threads and checksum choice, with 8 MiB chunks, reports at most every 200 ms and no
     * rate limit.
     */
    public static CopyOptions of(List<String> ignoreFiles, int copyThreads, boolean verifyChecksums) {
        return new CopyOptions(ignoreFiles, copyThreads, verifyChecksums, DEFAULT_CHUNK_BYTES,
                DEFAULT_PROGRESS_INTERVAL, 0);
    }

    /** Manila's defaults: ignore lost+found, 4 threads, no checksums. */
    public static CopyOptions defaults() {
        return of(List.of("lost+found"), 4, false);
    }

    public CopyOptions withChunkBytes(int bytes) {
        return new CopyOptions(ignoreFiles, copyThreads, verifyChecksums, bytes, progressInterval, maxBytesPerSecond);
    }

    public CopyOptions withProgressInterval(Duration interval) {
        return new CopyOptions(ignoreFiles, copyThreads, verifyChecksums, chunkBytes, interval, maxBytesPerSecond);
    }

    /** The same options with a rate limit; 0 removes it. */
    public CopyOptions withMaxBytesPerSecond(long bytesPerSecond) {
        return new CopyOptions(ignoreFiles, copyThreads, verifyChecksums, chunkBytes, progressInterval,
                bytesPerSecond);
    }
}
