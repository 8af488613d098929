package dev.ferry.drivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A manifest held in a list, for tests of the restore engine: built from a real tree (what a backup would record),
 * in an order that is not depth first (all directories breadth first, then the other entries from the deepest),
 * as a backup's threads may append them.
 */
final class InMemoryManifest implements Manifest {

    private final List<ManifestEntry> entries;

    InMemoryManifest(List<ManifestEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** What a backup of {@code root} records; {@code withXattrs} reads extended attributes with getfattr. */
    static InMemoryManifest of(Path root, boolean withXattrs) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(p -> !p.equals(root)).toList();
        }
        List<Path> directories = all.stream().filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                .sorted(Comparator.comparingInt(Path::getNameCount).thenComparing(Path::toString)).toList();
        List<Path> others = all.stream().filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString))
                .toList();
        List<ManifestEntry> entries = new ArrayList<>();
        Map<Object, Long> linkGroups = new HashMap<>();
        long id = 0;
        for (Path path : concat(directories, others)) {
            id++;
            entries.add(entry(root, path, id, linkGroups, withXattrs));
        }
        return new InMemoryManifest(entries);
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    private static ManifestEntry entry(Path root, Path path, long id, Map<Object, Long> linkGroups,
                                       boolean withXattrs) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        byte[] relative = Names.of(root.relativize(path).toString());
        int mode = (Integer) unix.get("mode") & 07777;
        int uid = (Integer) unix.get("uid");
        int gid = (Integer) unix.get("gid");
        long atime = nanos((FileTime) unix.get("lastAccessTime"));
        long mtime = nanos((FileTime) unix.get("lastModifiedTime"));
        byte[] xattrs = withXattrs && !Files.isSymbolicLink(path) ? xattrs(path) : null;
        if (Files.isSymbolicLink(path)) {
            return new ManifestEntry(id, relative, ManifestEntry.SYMLINK, 0, mode, uid, gid, atime, mtime,
                    Names.of(Files.readSymbolicLink(path).toString()), 0, 0, false, null);
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return new ManifestEntry(id, relative, ManifestEntry.DIRECTORY, 0, mode, uid, gid, atime, mtime, null, 0,
                    0, false, xattrs);
        }
        long size = Files.size(path);
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(path));
        long linkGroup = 0;
        if ((Integer) unix.get("nlink") > 1) {
            Object inode = unix.get("ino");
            linkGroup = linkGroups.computeIfAbsent(inode, k -> id);
        }
        boolean sparse = size > 0 && allocatedBytes(path) < size;
        return new ManifestEntry(id, relative, ManifestEntry.FILE, size, mode, uid, gid, atime, mtime, null,
                linkGroup, (int) crc.getValue(), sparse, xattrs);
    }

    /** Bytes allocated to a file (its blocks). */
    static long allocatedBytes(Path path) throws IOException {
        try (DirHandle folder = DirHandle.openRoot(path.getParent())) {
            return folder.statEntry(Names.of(path.getFileName().toString())).blocks() * 512;
        }
    }

    private static byte[] xattrs(Path path) throws IOException {
        try {
            Process getfattr = new ProcessBuilder("getfattr", "--absolute-names", "-d", "-m", "-", "-e", "hex",
                    path.toString()).start();
            String out = new String(getfattr.getInputStream().readAllBytes());
            getfattr.waitFor();
            List<Xattrs.Attribute> attributes = new ArrayList<>();
            for (String line : out.split("\n")) {
                int equals = line.indexOf('=');
                if (line.startsWith("#") || equals < 0) {
                    continue;
                }
                String name = line.substring(0, equals);
                if (Xattrs.kept(name)) {
                    attributes.add(new Xattrs.Attribute(Names.of(name),
                            HexFormat.of().parseHex(line.substring(equals + 3))));
                }
            }
            return Xattrs.encode(attributes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static long nanos(FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public long entryCount() {
        return entries.size();
    }

    @Override
    public void forEach(Consumer<ManifestEntry> action) {
        entries.forEach(action);
    }

    @Override
    public void forEachUnder(byte[] path, Consumer<ManifestEntry> action) {
        for (ManifestEntry entry : entries) {
            if (SelectedPaths.isAtOrBelow(entry.path(), path)) {
                action.accept(entry);
            }
        }
    }

    @Override
    public ManifestEntry find(byte[] path) {
        return entries.stream().filter(e -> Arrays.equals(e.path(), path)).findFirst().orElse(null);
    }

    @Override
    public ManifestEntry byId(long id) {
        return entries.stream().filter(e -> e.id() == id).findFirst().orElse(null);
    }

    @Override
    public List<ManifestEntry> children(byte[] folder, int limit, long offset) {
        return entries.stream().filter(e -> Arrays.equals(ManifestPaths.parentOf(e.path()), folder))
                .sorted((a, b) -> ByteBuffer.wrap(a.path()).compareTo(ByteBuffer.wrap(b.path())))
                .skip(offset).limit(limit).toList();
    }

    @Override
    public void close() {
    }
}
