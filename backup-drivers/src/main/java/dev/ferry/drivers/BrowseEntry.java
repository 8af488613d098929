package dev.ferry.drivers;

/**
 * One entry of a backup as its manifest records it.
 *
 * @param path       backup-relative path ("docs/a.txt")
 * @param type       "file", "directory" or "symlink"
 * @param size       bytes of content (0 for directories and links)
 * @param mode       permission bits (e.g. 0644)
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param checksum   "crc32c:&lt;8 hex digits&gt;" for files, null for the others
 */
public record BrowseEntry(String path, String type, long size, int mode, long mtimeNanos, String checksum) {
}
