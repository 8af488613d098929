package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads and applies {@link FileMetadata}, never following symbolic links. Owners are kept by number and on a
 * best-effort basis (a non-root process, or an NFS export with root squashing, may not change them: that is
 * logged once per copy); modes and times must succeed. Symbolic links get owner and times (Linux has no mode
 * on links). One instance per copy.
 */
final class MetadataCopier {

    private static final Logger log = LoggerFactory.getLogger(MetadataCopier.class);
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final AtomicBoolean ownerWarningLogged = new AtomicBoolean();

    FileMetadata read(Path path) throws IOException {
        Map<String, Object> attributes =
                Files.readAttributes(path, "unix:mode,uid,gid,lastModifiedTime,lastAccessTime", NOFOLLOW);
        return new FileMetadata((Integer) attributes.get("mode"), (Integer) attributes.get("uid"),
                (Integer) attributes.get("gid"), (FileTime) attributes.get("lastModifiedTime"),
                (FileTime) attributes.get("lastAccessTime"));
    }

    void apply(Path path, FileMetadata metadata, boolean symbolicLink) throws IOException {
        applyOwner(path, metadata);
        if (!symbolicLink) {
            // after the owner: chown clears setuid and setgid bits
            Files.setAttribute(path, "unix:mode", metadata.mode() & 07777, NOFOLLOW);
        }
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(metadata.modified(), metadata.accessed(), null);
    }

    private void applyOwner(Path path, FileMetadata metadata) throws IOException {
        try {
            Files.setAttribute(path, "unix:uid", metadata.uid(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", metadata.gid(), NOFOLLOW);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            if (ownerWarningLogged.compareAndSet(false, true)) {
                log.warn("Cannot keep file owners in this copy ({}); files keep the copying user as owner. Run "
                        + "the data node as root and export the share without root squashing to keep owners",
                        IoErrors.describe(e));
            }
        }
    }
}
