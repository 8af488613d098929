package dev.ferry.drivers;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A backup's manifest, read: every entry the backup holds, with its metadata and content checksum. It lives in
 * the backup repository beside the backup's tree as {@code <repository>/<backup id>.manifest} (an SQLite
 * database, written by {@link ManifestWriter} under a temporary name and renamed into place once complete). A
 * backup without that file was made before Ferry wrote manifests.
 *
 * <p>Reads stream: nothing here holds the whole manifest in memory.
 */
public interface Manifest extends AutoCloseable {

    /** The file name of backup {@code backupId}'s manifest in the repository root. */
    static String fileName(String backupId) {
        return backupId + ".manifest";
    }

    /** Entries counted when the manifest was completed. */
    long entryCount();

    /** Every entry in walk order (by id): a directory before everything inside it. */
    void forEach(Consumer<ManifestEntry> action) throws IOException;

    /**
     * The entries at or below {@code path} (the entry itself first, then its descendants), in walk order; nothing
     * when the manifest has no such path.
     */
    void forEachUnder(byte[] path, Consumer<ManifestEntry> action) throws IOException;

    /** The entry at {@code path}; null when the manifest has none. */
    ManifestEntry find(byte[] path) throws IOException;

    /** The entry with this id; null when none. */
    ManifestEntry byId(long id) throws IOException;

    /** One page of the entries directly inside {@code folder} (empty path for the root), sorted by name bytes. */
    List<ManifestEntry> children(byte[] folder, int limit, long offset) throws IOException;

    @Override
    void close() throws IOException;
}
