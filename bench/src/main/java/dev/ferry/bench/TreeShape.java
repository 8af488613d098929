package dev.ferry.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Random;

/**
 * A tree to copy: {@code files} files of {@code fileBytes} each, spread evenly over {@code folders} folders, of
 * random content (every 4 KiB block of every file differs). {@code perFile}: its speed is counted in files per
 * second (small files), otherwise in MB (10^6 bytes) per second.
 */
record TreeShape(String key, int files, int folders, long fileBytes, boolean perFile) {
    private static final int CHUNK = 8 * 1024 * 1024;

    long bytes() {
        return files * fileBytes;
    }

    String label() {
        String size = fileBytes >= 1 << 30 ? (fileBytes >> 30) + " GiB"
                : fileBytes >= 1 << 20 ? (fileBytes >> 20) + " MiB" : (fileBytes >> 10) + " KiB";
        String what = files == 1 ? "one file of " + size : String.format(Locale.ROOT, "%,d files of %s", files, size);
        return folders > 1 ? what + " in " + folders + " folders" : what;
    }

    String unit() {
        return perFile ? "files/s" : "MB/s";
    }

    /** Files per second or MB per second for a copy that took {@code seconds}. */
    double rate(double seconds) {
        return (perFile ? files : bytes() / 1e6) / seconds;
    }

    /** Writes the tree into {@code root} (made here). */
    void write(Path root) throws IOException {
        byte[] random = new byte[(int) Math.min(CHUNK, fileBytes)];
        new Random(11).nextBytes(random);
        ByteBuffer buffer = ByteBuffer.wrap(random);
        for (int i = 0; i < files; i++) {
            Path folder = Files.createDirectories(root.resolve(String.format(Locale.ROOT, "d%03d", i % folders)));
            try (FileChannel out = FileChannel.open(folder.resolve(String.format(Locale.ROOT, "f%05d.dat", i)),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long written = 0, chunk = 0; written < fileBytes; written += random.length, chunk++) {
                    for (int block = 0; block < random.length; block += 4096) {
                        buffer.putLong(block, (long) i << 32 | chunk << 16 | block >> 12);
                    }
                    buffer.clear().limit((int) Math.min(random.length, fileBytes - written));
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
            }
        }
    }
}
