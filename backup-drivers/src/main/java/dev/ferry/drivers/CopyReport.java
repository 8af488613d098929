package dev.ferry.drivers;

/**
 * What a finished copy did.
 *
 * @param files            regular files written
 * @param directories      directories below the root copied
 * @param symlinks         symbolic links copied
 * @param bytes            bytes of file content written
 * @param skipped          entries not copied because Ferry does not copy their type (fifos, sockets, devices);
 *                         names on the ignore list are neither copied nor counted
 * @param filesSkipped     regular files a restore left alone because the target already held them identical
 *                         (a resumed attempt, {@code if-changed}) or because of {@code never}
 * @param bytesSkipped     the content bytes of {@code filesSkipped}
 * @param damagedFiles     files of the backup not written because the repository copy did not match the manifest
 *                         or was missing
 * @param firstDamaged     the backup-relative path of the first of them; null when none
 * @param metadataDropped  extended attributes and ACLs the target refused
 * @param firstDropped     the backup-relative path (and attribute name) of the first of them; null when none
 * @param manifestWritten  a backup: its manifest was written complete
 */
public record CopyReport(long files, long directories, long symlinks, long bytes, long skipped, long filesSkipped,
                         long bytesSkipped, long damagedFiles, String firstDamaged, long metadataDropped,
                         String firstDropped, boolean manifestWritten) {

    /** A copy that skipped, found and dropped nothing, and wrote no manifest. */
    public CopyReport(long files, long directories, long symlinks, long bytes, long skipped) {
        this(files, directories, symlinks, bytes, skipped, 0, 0, 0, null, 0, null, false);
    }
}
