package dev.ferry.drivers;

import java.util.Arrays;

/** A manifest's paths: bytes, '/'-separated, relative to the backup's root (empty for the root itself). */
final class ManifestPaths {

    private ManifestPaths() {
    }

    /** The path of the folder holding {@code path} (empty for an entry of the root). */
    static byte[] parentOf(byte[] path) {
        int slash = lastSlash(path);
        return slash < 0 ? new byte[0] : Arrays.copyOfRange(path, 0, slash);
    }

    /** The last component of {@code path}. */
    static byte[] nameOf(byte[] path) {
        int slash = lastSlash(path);
        return slash < 0 ? path : Arrays.copyOfRange(path, slash + 1, path.length);
    }

    /** {@code folder/name}, or {@code name} in the root. */
    static byte[] join(byte[] folder, byte[] name) {
        if (folder.length == 0) {
            return name;
        }
        byte[] path = new byte[folder.length + 1 + name.length];
        System.arraycopy(folder, 0, path, 0, folder.length);
        path[folder.length] = '/';
        System.arraycopy(name, 0, path, folder.length + 1, name.length);
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
