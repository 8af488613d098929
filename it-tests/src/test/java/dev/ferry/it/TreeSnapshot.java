package dev.ferry.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a user would compare of a tree: each path's type, content digest or link text, mode and mtime. */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    static Map<String, String> of(Path root) throws IOException {
        return of(root, Set.of());
    }

    /** The tree below {@code root}, leaving out the relative paths in {@code except}. */
    static Map<String, String> of(Path root, Set<String> except) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(root)) {
                    continue;
                }
                String relative = root.relativize(path).toString();
                if (except.contains(relative)) {
                    continue;
                }
                PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                String what;
                if (attributes.isSymbolicLink()) {
                    what = "link -> " + Files.readSymbolicLink(path);
                } else {
                    String mode = PosixFilePermissions.toString(attributes.permissions());
                    String mtime = Long.toString(attributes.lastModifiedTime().toMillis() / 1000);
                    what = attributes.isDirectory() ? "dir " + mode + " " + mtime
                            : "file " + mode + " " + mtime + " " + attributes.size() + " " + sha256(path);
                }
                entries.put(relative, what);
            }
        }
        return entries;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
