package dev.ferry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;

/** The test tree of issue 2: nested folders, an empty file, a symlink, a multi-MiB file, non-ASCII names. */
final class SampleTree {
    static final int BIG_FILE_BYTES = 8 * 1024 * 1024;

    private SampleTree() {
    }

    static void write(Path root) throws IOException {
        Path deep = Files.createDirectories(root.resolve("projects/alpha/src/main"));
        Files.writeString(deep.resolve("Main.java"), "class Main {}\n");
        Files.writeString(root.resolve("projects/alpha/README.md"), "# alpha\n");
        Files.createFile(root.resolve("projects/empty.txt"));
        Files.createSymbolicLink(root.resolve("projects/latest"), Path.of("alpha/src"));
        byte[] big = new byte[BIG_FILE_BYTES];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("projects/alpha/data.bin"), big);
        Path accented = Files.createDirectories(root.resolve("résumés/naïve façade"));
        Files.writeString(accented.resolve("日本語のファイル.txt"), "こんにちは\n");
        Files.writeString(root.resolve("résumés/Ελληνικά.txt"), "γειά\n");
        Path secret = Files.writeString(root.resolve("projects/secret.key"), "k\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(root.resolve("projects/alpha/README.md"),
                FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        Files.setPosixFilePermissions(root.resolve("projects/alpha"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(root.resolve("lost+found"));
        Files.writeString(root.resolve("lost+found/fragment"), "fsck leftovers\n");
    }

    /** {@code files} files of {@code mibEach} MiB of random bytes, in two folders: data for long copies. */
    static void writeBulk(Path root, int files, int mibEach) throws IOException {
        Random random = new Random(files * 31L + mibEach);
        byte[] chunk = new byte[1024 * 1024];
        for (int i = 0; i < files; i++) {
            Path file = Files.createDirectories(root.resolve(i % 2 == 0 ? "even" : "odd")).resolve("part-" + i + ".bin");
            try (var out = Files.newOutputStream(file)) {
                for (int m = 0; m < mibEach; m++) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }
    }
}
