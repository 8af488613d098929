package dev.ferry.drivers.bench;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyOptions;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.TreeCopier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times {@link TreeCopier} against {@code cp -a} on the same tree: 2,000 small files of 4-64 KiB in nested
 * folders plus three 64 MiB files. After one untimed warm-up copy with each (JIT compilation, caches), three
 * timed runs of each, alternating, each into a fresh folder after a {@code sync} and after reading the whole
 * source once, so both tools copy from the page cache (the machines here reclaim idle cache within seconds,
 * which would otherwise penalise whichever copy runs first). It measures the copy engine, not the disk.
 * Not a unit test; see backup-drivers/README.md for how to run it.
 *
 * <p>Arguments (all optional): work folder (default /tmp/ferry-bench), copy threads (default 4).
 */
public final class TreeCopierBenchmark {

    private static final int SMALL_FILES = 2000;
    private static final int LARGE_FILES = 3;
    private static final int LARGE_FILE_BYTES = 64 * 1024 * 1024;
    private static final int RUNS = 3;

    private TreeCopierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ferry-bench");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path source = work.resolve("source");
        deleteTree(work);
        long bytes = buildTree(source);
        System.out.printf(Locale.ROOT, "tree: %d small files + %d x 64 MiB, %.1f MiB, under %s%n", SMALL_FILES,
                LARGE_FILES, bytes / 1048576.0, source);
        TreeCopier copier = new TreeCopier(CopyOptions.of(List.of("lost+found"), threads, false));
        List<Double> ferry = new ArrayList<>();
        List<Double> cp = new ArrayList<>();
        for (int run = 0; run <= RUNS; run++) { // run 0 is the untimed warm-up
            boolean ferryFirst = run % 2 == 1;
            for (int turn = 0; turn < 2; turn++) {
                boolean useFerry = ferryFirst == (turn == 0);
                Path target = work.resolve((useFerry ? "ferry-" : "cp-") + run);
                exec(List.of("sync"));
                readAll(source);
                long start = System.nanoTime();
                if (useFerry) {
                    CopyReport report = copier.copy(source, target, ProgressListener.ignoring(), new Cancellation());
                    if (report.bytes() != bytes || report.files() != SMALL_FILES + LARGE_FILES) {
                        throw new IllegalStateException("incomplete copy: " + report);
                    }
                } else {
                    exec(List.of("cp", "-a", source.toString(), target.toString()));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (run > 0) {
                    (useFerry ? ferry : cp).add(seconds);
                }
                System.out.printf(Locale.ROOT, "%s  %-13s %6.3f s%n", run == 0 ? "warm-up" : "run " + run + "  ",
                        useFerry ? "TreeCopier(" + threads + ")" : "cp -a", seconds);
                deleteTree(target);
            }
        }
        double ferryMedian = median(ferry);
        double cpMedian = median(cp);
        double ferryBest = ferry.stream().min(Double::compare).orElseThrow();
        double cpBest = cp.stream().min(Double::compare).orElseThrow();
        System.out.printf(Locale.ROOT, "median: TreeCopier %.3f s, cp -a %.3f s, ratio TreeCopier/cp = %.2f%n",
                ferryMedian, cpMedian, ferryMedian / cpMedian);
        System.out.printf(Locale.ROOT, "best:   TreeCopier %.3f s, cp -a %.3f s, ratio TreeCopier/cp = %.2f%n",
                ferryBest, cpBest, ferryBest / cpBest);
        deleteTree(work);
    }

    private static long buildTree(Path source) throws IOException {
        Random random = new Random(2024);
        long bytes = 0;
        for (int i = 0; i < SMALL_FILES; i++) {
            Path file = source.resolve("d" + (i % 20)).resolve("e" + (i % 7)).resolve("f" + i + ".dat");
            Files.createDirectories(file.getParent());
            byte[] data = new byte[4096 + random.nextInt(60 * 1024 + 1)];
            random.nextBytes(data);
            Files.write(file, data);
            bytes += data.length;
        }
        byte[] block = new byte[1024 * 1024];
        for (int i = 0; i < LARGE_FILES; i++) {
            Path file = source.resolve("large").resolve("big" + i + ".bin");
            Files.createDirectories(file.getParent());
            try (var out = Files.newOutputStream(file)) {
                for (int written = 0; written < LARGE_FILE_BYTES; written += block.length) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            bytes += LARGE_FILE_BYTES;
        }
        return bytes;
    }

    /** Reads every file once, so that the source is in the page cache. */
    private static void readAll(Path root) throws IOException {
        byte[] buffer = new byte[1024 * 1024];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                try (InputStream in = Files.newInputStream(file)) {
                    while (in.read(buffer) >= 0) {
                        // discard
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed with status " + process.exitValue());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
