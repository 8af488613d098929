package dev.ferry.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a user would see in a folder: every entry below the root (by relative path, compared byte for byte),
 * its type, content hash or link text, permission bits, numeric owner and modification time (to the
 * microsecond for symbolic links, to the nanosecond otherwise). Symbolic links are never followed.
 */
record TreeSnapshot(Map<Path, Entry> entries) {

    enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    record Entry(Type type, String content, int mode, int uid, int gid, FileTime modified) {
    }

    static TreeSnapshot of(Path root) {
        Map<Path, Entry> entries = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        entries.put(root.relativize(dir), entry(dir, Type.DIRECTORY, null));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path relative = root.relativize(file);
                    if (attrs.isSymbolicLink()) {
                        entries.put(relative, entry(file, Type.SYMLINK, Files.readSymbolicLink(file).toString()));
                    } else if (attrs.isRegularFile()) {
                        entries.put(relative, entry(file, Type.FILE, sha256(file)));
                    } else {
                        entries.put(relative, entry(file, Type.OTHER, null));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeSnapshot(entries);
    }

    /** The same snapshot without the named entries and anything below them (relative paths). */
    TreeSnapshot without(String... relativePaths) {
        Map<Path, Entry> copy = new TreeMap<>(entries);
        for (String path : relativePaths) {
            copy.keySet().removeIf(entry -> entry.startsWith(Path.of(path)));
        }
        return new TreeSnapshot(copy);
    }

    /** A readable list of differences, empty when the snapshots are equal. */
    String differencesFrom(TreeSnapshot other) {
        StringBuilder text = new StringBuilder();
        Set<Path> all = new TreeSet<>(entries.keySet());
        all.addAll(other.entries.keySet());
        for (Path path : all) {
            Entry mine = entries.get(path);
            Entry theirs = other.entries.get(path);
            if (mine == null) {
                text.append("  only in actual:   ").append(path).append(' ').append(theirs).append('\n');
            } else if (theirs == null) {
                text.append("  only in expected: ").append(path).append(' ').append(mine).append('\n');
            } else if (!mine.equals(theirs)) {
                text.append("  differs:          ").append(path).append("\n      expected ").append(mine)
                        .append("\n      actual   ").append(theirs).append('\n');
            }
        }
        return text.toString();
    }

    private static Entry entry(Path path, Type type, String content) throws IOException {
        Map<String, Object> attributes =
                Files.readAttributes(path, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int mode = type == Type.SYMLINK ? 0 : (Integer) attributes.get("mode") & 07777;
        FileTime modified = (FileTime) attributes.get("lastModifiedTime");
        if (type == Type.SYMLINK) {
            // Java sets a link's own times with lutimes, which keeps microseconds
            modified = FileTime.from(modified.to(TimeUnit.MICROSECONDS), TimeUnit.MICROSECONDS);
        }
        return new Entry(type, content, mode, (Integer) attributes.get("uid"), (Integer) attributes.get("gid"),
                modified);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int read;
            long size = 0;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
                size += read;
            }
            return size + " bytes sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
