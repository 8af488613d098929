package dev.ferry.drivers;

/**
 * The SQLite layout of a manifest file, shared by {@link ManifestWriter} and {@link SqliteManifest}. An entry's path
 * is kept as its parent folder's path and its own name (both BLOBs, compared as bytes), so that one index on
 * {@code (parent, name)} serves both a lookup by path and a folder's listing sorted by name.
 */
final class ManifestSchema {

    /** Bumped when the layout changes incompatibly; a reader refuses versions it does not know. */
    static final int FORMAT_VERSION = 1;

    static final String CREATE_ENTRIES = "CREATE TABLE entries ("
            + "id INTEGER PRIMARY KEY, parent BLOB NOT NULL, name BLOB NOT NULL, type TEXT NOT NULL, "
            + "size INTEGER NOT NULL, mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL, "
            + "atime INTEGER NOT NULL, mtime INTEGER NOT NULL, link_target BLOB, link_group INTEGER NOT NULL, "
            + "checksum INTEGER NOT NULL, sparse INTEGER NOT NULL, xattrs BLOB)";
    static final String CREATE_META = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";
    static final String CREATE_INDEX = "CREATE UNIQUE INDEX entries_by_place ON entries (parent, name)";
    static final String INSERT = "INSERT INTO entries (id, parent, name, type, size, mode, uid, gid, atime, mtime, "
            + "link_target, link_group, checksum, sparse, xattrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String COLUMNS = "id, parent, name, type, size, mode, uid, gid, atime, mtime, link_target, "
            + "link_group, checksum, sparse, xattrs";

    static final String META_FORMAT = "format";
    static final String META_ENTRIES = "entries";

    private ManifestSchema() {
    }

    /** The parent folder's path of {@code path} (empty for an entry of the root). */
    static byte[] parentOf(byte[] path) {
        int slash = lastSlash(path);
        return slash < 0 ? new byte[0] : java.util.Arrays.copyOfRange(path, 0, slash);
    }

    /** The last component of {@code path}. */
    static byte[] nameOf(byte[] path) {
        int slash = lastSlash(path);
        return slash < 0 ? path : java.util.Arrays.copyOfRange(path, slash + 1, path.length);
    }

    /** {@code parent/name}, or {@code name} for the root's entries. */
    static byte[] join(byte[] parent, byte[] name) {
        if (parent.length == 0) {
            return name;
        }
        byte[] path = new byte[parent.length + 1 + name.length];
        System.arraycopy(parent, 0, path, 0, parent.length);
        path[parent.length] = '/';
        System.arraycopy(name, 0, path, parent.length + 1, name.length);
        return path;
    }

    private static int lastSlash(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i;
            }
        }
        return -1;
    }
}
