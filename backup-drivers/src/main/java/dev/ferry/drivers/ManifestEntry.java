package dev.ferry.drivers;

/**
 * One entry of a backup's manifest (see {@link Manifest}).
 *
 * @param id         its row: entries are numbered in walk order, a directory before everything inside it
 * @param path       backup-relative path as the file system's bytes, '/'-separated, no leading '/'
 * @param type       {@link #FILE}, {@link #DIRECTORY} or {@link #SYMLINK}
 * @param size       bytes of content of a file (its logical size, holes included); 0 for the others
 * @param mode       permission bits including setuid, setgid and sticky (07777)
 * @param uid        owner
 * @param gid        group
 * @param atimeNanos access time, nanoseconds since the epoch
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param linkTarget a symbolic link's text; null for the others
 * @param linkGroup  for a file with more than one hard link in the backup: the {@code id} of the first entry of
 *                   its group (its own id for that first entry); 0 otherwise
 * @param checksum   a file's CRC32C of its logical content (holes read as zeros); 0 for the others
 * @param sparse     a file with holes, to be written with holes
 * @param xattrs     extended attributes (user.*, system.posix_acl_access, system.posix_acl_default), encoded by
 *                   {@link Xattrs}; null when none
 */
public record ManifestEntry(long id, byte[] path, String type, long size, int mode, int uid, int gid,
                            long atimeNanos, long mtimeNanos, byte[] linkTarget, long linkGroup, int checksum,
                            boolean sparse, byte[] xattrs) {
    public static final String FILE = "file";
    public static final String DIRECTORY = "directory";
    public static final String SYMLINK = "symlink";

    /** The path as text (UTF-8; bytes that are not valid UTF-8 become U+FFFD). */
    public String pathText() {
        return new String(path, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** "crc32c:&lt;8 lower-case hex digits&gt;" for a file, null for the others. */
    public String checksumText() {
        return FILE.equals(type) ? String.format("crc32c:%08x", checksum) : null;
    }
}
