package dev.ferry.drivers;

/**
 * What a finished copy did: regular files, directories (below the root) and symbolic links copied, bytes of
 * file content copied, and entries skipped because Ferry does not copy their type (fifos, sockets, devices).
 * Names on the ignore list are neither copied nor counted.
 */
public record CopyReport(long files, long directories, long symlinks, long bytes, long skipped) {
}
