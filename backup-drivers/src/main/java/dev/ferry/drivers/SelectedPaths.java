package dev.ferry.drivers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The paths of a selective restore, checked and reduced: relative, no '.', '..' or empty components, no NUL. */
final class SelectedPaths {

    private SelectedPaths() {
    }

    /**
     * The paths as the manifest's bytes, without duplicates and without paths inside another selected folder
     * (restoring the folder restores them), in the given order.
     *
     * @throws IllegalArgumentException naming the first path that cannot name an entry of a backup
     */
    static List<byte[]> of(List<String> paths) {
        List<byte[]> kept = new ArrayList<>();
        for (String path : paths) {
            requireRelative(path);
            byte[] bytes = Names.of(path);
            boolean covered = false;
            for (int i = 0; i < kept.size() && !covered; i++) {
                byte[] other = kept.get(i);
                if (isAtOrBelow(bytes, other)) {
                    covered = true;
                } else if (isAtOrBelow(other, bytes)) {
                    kept.remove(i--);
                }
            }
            if (!covered) {
                kept.add(bytes);
            }
        }
        return kept;
    }

    /** Whether {@code path} is {@code folder} or lies below it. */
    static boolean isAtOrBelow(byte[] path, byte[] folder) {
        if (folder.length == 0) {
            return true;
        }
        if (path.length < folder.length || !Arrays.equals(path, 0, folder.length, folder, 0, folder.length)) {
            return false;
        }
        return path.length == folder.length || path[folder.length] == '/';
    }

    private static void requireRelative(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the path '" + path + "' does not name an entry of the backup: "
                    + "give paths relative to the backup's root, such as docs/report.txt");
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new IllegalArgumentException("the path '" + path + "' does not name an entry of the backup: "
                        + "'..', '.' and empty components are not allowed");
            }
        }
    }
}
