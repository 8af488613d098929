package dev.ferry.drivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Copies one regular file's content with the kernel's zero-copy path ({@link FileChannel#transferTo}, which
 * is sendfile on Linux) in chunks, checking for a stop between chunks and taking each chunk from the copy's
 * {@link ByteRateLimiter} before writing it. Neither end is opened through a symbolic link. A new target
 * file is created readable by its owner only until its metadata is applied.
 */
final class FileContentCopier {

    private static final Set<OpenOption> SOURCE_OPTIONS =
            Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> TARGET_OPTIONS = Set.of(StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    private static final int DIGEST_BUFFER_BYTES = 1024 * 1024;

    private final int chunkBytes;
    private final ByteRateLimiter limiter;

    FileContentCopier(int chunkBytes, ByteRateLimiter limiter) {
        this.chunkBytes = limiter.chunkBytes(chunkBytes);
        this.limiter = limiter;
    }

    /**
     * Copies {@code source} over {@code target}, reporting each chunk to {@code onBytes}.
     *
     * @return bytes copied: the source's size when the copy began (a file shrinking meanwhile gives fewer)
     */
    long copy(Path source, Path target, StopSignal stop, LongConsumer onBytes) throws IOException {
        try (FileChannel in = FileChannel.open(source, SOURCE_OPTIONS);
             FileChannel out = openTarget(target)) {
            long size = in.size();
            long position = 0;
            while (position < size) {
                stop.check();
                long chunk = Math.min(chunkBytes, size - position);
                limiter.acquire(chunk, stop);
                long copied = in.transferTo(position, chunk, out);
                if (copied <= 0) {
                    break; // the source shrank while being copied
                }
                position += copied;
                onBytes.accept(copied);
            }
            return position;
        }
    }

    /** The SHA-256 of a file's content, read without following a symbolic link. */
    byte[] sha256(Path file, StopSignal stop) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(DIGEST_BUFFER_BYTES);
        try (FileChannel in = FileChannel.open(file, SOURCE_OPTIONS)) {
            while (in.read(buffer) >= 0) {
                stop.check();
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return digest.digest();
    }

    private static FileChannel openTarget(Path target) throws IOException {
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try {
            return FileChannel.open(target, TARGET_OPTIONS, ownerOnly);
        } catch (AccessDeniedException e) {
            // a read-only file of the same name: replace it, as cp --remove-destination would
            Files.delete(target);
            return FileChannel.open(target, TARGET_OPTIONS, ownerOnly);
        }
    }
}
