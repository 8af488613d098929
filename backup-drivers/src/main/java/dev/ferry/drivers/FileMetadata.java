package dev.ferry.drivers;

import java.nio.file.attribute.FileTime;

/** The metadata a copy keeps: permission bits (including setuid, setgid, sticky), numeric owner and times. */
record FileMetadata(int mode, int uid, int gid, FileTime modified, FileTime accessed) {
}
