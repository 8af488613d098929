package dev.ferry.drivers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The kernel's table of mounts ({@code /proc/self/mounts}), to check whether a folder is a mount point. */
public final class MountTable {

    private final Path mountsFile;

    public MountTable(Path mountsFile) {
        this.mountsFile = mountsFile;
    }

    /** The table of the running process. */
    public static MountTable ofThisProcess() {
        return new MountTable(Path.of("/proc/self/mounts"));
    }

    /** Mount points, in mount order; empty when the table cannot be read (not Linux). */
    public Set<Path> mountPoints() throws IOException {
        Set<Path> points = new LinkedHashSet<>();
        if (!Files.isReadable(mountsFile)) {
            return points;
        }
        for (String line : Files.readAllLines(mountsFile, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length >= 2) {
                points.add(Path.of(unescape(fields[1])));
            }
        }
        return points;
    }

    public boolean isMountPoint(Path folder) throws IOException {
        return mountPoints().contains(folder.toAbsolutePath().normalize());
    }

    /** Mount points at or below {@code folder}. */
    public Set<Path> mountPointsUnder(Path folder) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        Set<Path> under = new LinkedHashSet<>();
        for (Path point : mountPoints()) {
            if (point.startsWith(root)) {
                under.add(point);
            }
        }
        return under;
    }

    /** The kernel writes space, tab, newline and backslash in mount points as octal escapes such as \040. */
    private static String unescape(String field) {
        StringBuilder text = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static boolean isOctal(String field, int from) {
        if (from + 3 > field.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (field.charAt(i) < '0' || field.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
