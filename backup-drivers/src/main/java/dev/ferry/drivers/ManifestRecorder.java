package dev.ferry.drivers;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * What a backup records in its manifest while it copies: one {@link ManifestEntry} per directory, symbolic link
 * and regular file, appended through a {@link ManifestWriter} (thread-safe), and the hard links met so far.
 */
final class ManifestRecorder {

    private final ManifestWriter writer;
    private final HardLinks hardLinks = new HardLinks();

    ManifestRecorder(ManifestWriter writer) {
        this.writer = writer;
    }

    HardLinks hardLinks() {
        return hardLinks;
    }

    long directory(byte[] path, Stat metadata, byte[] xattrs) throws IOException {
        return writer.append(entry(path, ManifestEntry.DIRECTORY, 0, metadata, null, 0, 0, false, xattrs));
    }

    long symlink(byte[] path, Stat metadata, byte[] target) throws IOException {
        return writer.append(entry(path, ManifestEntry.SYMLINK, 0, metadata, target, 0, 0, false, null));
    }

    /** A file copied that is no later link of a file recorded before. */
    long file(byte[] path, Stat metadata, ChecksummedContentCopier.Copied content, byte[] xattrs)
            throws IOException {
        return writer.append(entry(path, ManifestEntry.FILE, content.bytes(), metadata, null, 0,
                content.checksum(), content.sparse(), xattrs));
    }

    /**
     * A later link of the file first recorded as entry {@code firstId}: recorded in its group, and that entry
     * becomes the group's first when this is the group's second link.
     */
    long laterLink(byte[] path, Stat metadata, long firstId, HardLinks.Group group,
                   ChecksummedContentCopier.Copied content, byte[] xattrs) throws IOException {
        if (group.becameGroup()) {
            writer.markLinkGroupFirst(firstId);
        }
        return writer.append(entry(path, ManifestEntry.FILE, content.bytes(), metadata, null, firstId,
                content.checksum(), content.sparse(), xattrs));
    }

    private static ManifestEntry entry(byte[] path, String type, long size, Stat metadata, byte[] linkTarget,
                                       long linkGroup, int checksum, boolean sparse, byte[] xattrs) {
        return new ManifestEntry(0, path, type, size, metadata.permissions(), metadata.uid(), metadata.gid(),
                nanos(metadata.accessedSeconds(), metadata.accessedNanos()),
                nanos(metadata.modifiedSeconds(), metadata.modifiedNanos()), linkTarget, linkGroup, checksum, sparse,
                xattrs);
    }

    private static long nanos(long seconds, int nanos) {
        return TimeUnit.SECONDS.toNanos(seconds) + nanos;
    }
}
