package dev.ferry.drivers;

/** The size of a tree to copy: bytes of regular-file content, and regular files plus symbolic links. */
record TreeSize(long bytes, long files) {
}
