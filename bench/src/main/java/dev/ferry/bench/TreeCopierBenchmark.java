package dev.ferry.bench;

import dev.ferry.drivers.TreeCopier;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Times Ferry's copy engine ({@link TreeCopier}) against {@code cp -a} on the same tree and prints a table of
 * their times and the ratio of each to {@code cp -a}, measured in the same run. The full tree is 2,000 small
 * files of 4-64 KiB in nested folders plus three 64 MiB files; {@code --short} copies 200 small files and one
 * 16 MiB file once, so that CI can run it in seconds to keep it working. After one untimed warm-up copy with
 * each tool (JIT compilation, caches), the timed runs take turns at going first; each copies into a fresh
 * folder after a {@code sync} and after reading the whole source once, so every tool copies from the page
 * cache. It measures the copy engine, not the disk. Run it with {@code bench/tree-copier}.
 *
 * <p>Arguments: {@code [--short] [--threads N] [--in FOLDER] [--baseline FERRY_JAR]}: 4 copy threads unless
 * told; the trees are made in a new folder inside {@code FOLDER} (default: the system's temporary folder, so
 * pick a folder on the file system to measure), removed at the end; {@code --baseline} adds a row for the copy
 * engine of another build of Ferry (its ferry.jar, loaded apart from this build), to compare two versions in
 * one run.
 */
public final class TreeCopierBenchmark {

    private final int smallFiles;
    private final int largeFiles;
    private final int largeFileBytes;
    private final int runs;

    private TreeCopierBenchmark(int smallFiles, int largeFiles, int largeFileBytes, int runs) {
        this.smallFiles = smallFiles;
        this.largeFiles = largeFiles;
        this.largeFileBytes = largeFileBytes;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        boolean shortRun = false;
        int threads = 4;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        Path baseline = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> shortRun = true;
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, "--threads"));
                case "--in" -> parent = Path.of(value(args, ++i, "--in"));
                case "--baseline" -> baseline = Path.of(value(args, ++i, "--baseline"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; expected [--short] [--threads N] [--in FOLDER] [--baseline FERRY_JAR]");
            }
        }
        List<Tool> tools = new ArrayList<>(List.of(cp(), engine("TreeCopier(" + threads + ")",
                EngineCopy.class.getMethod("copy", Path.class, Path.class, int.class), threads)));
        if (baseline != null) {
            tools.add(engine("TreeCopier(" + threads + ") baseline", baselineCopy(baseline), threads));
        }
        Path work = Files.createTempDirectory(parent, "ferry-bench-");
        TreeCopierBenchmark benchmark = shortRun
                ? new TreeCopierBenchmark(200, 1, 16 * 1024 * 1024, 1)
                : new TreeCopierBenchmark(2000, 3, 64 * 1024 * 1024, 3);
        benchmark.run(work, tools);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private void run(Path work, List<Tool> tools) throws Exception {
        Path source = work.resolve("source");
        long bytes = buildTree(source);
        System.out.printf(Locale.ROOT, "tree: %d small files + %d x %d MiB, %.1f MiB, under %s%n", smallFiles,
                largeFiles, largeFileBytes >> 20, bytes / 1048576.0, source);
        Map<Tool, List<Double>> times = new LinkedHashMap<>();
        tools.forEach(tool -> times.put(tool, new ArrayList<>()));
        try {
            for (int run = 0; run <= runs; run++) { // run 0 is the untimed warm-up
                for (int turn = 0; turn < tools.size(); turn++) {
                    Tool tool = tools.get((run + turn) % tools.size()); // each run starts with another tool
                    Path target = work.resolve("copy-" + run + "-" + turn);
                    exec(List.of("sync"));
                    readAll(source);
                    long start = System.nanoTime();
                    long[] filesAndBytes = tool.copy().copy(source, target);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (filesAndBytes != null
                            && (filesAndBytes[0] != smallFiles + largeFiles || filesAndBytes[1] != bytes)) {
                        throw new IllegalStateException(tool.name() + " copied " + filesAndBytes[0] + " files, "
                                + filesAndBytes[1] + " bytes of " + (smallFiles + largeFiles) + ", " + bytes);
                    }
                    if (run > 0) {
                        times.get(tool).add(seconds);
                    }
                    deleteTree(target);
                }
            }
        } finally {
            deleteTree(work);
        }
        List<Double> peer = times.get(tools.get(0));
        System.out.printf(Locale.ROOT, "%d timed run(s) of each, taking turns to go first%n", runs);
        System.out.printf(Locale.ROOT, "%-28s %10s %10s %16s %14s%n", "copy", "median s", "best s",
                "median / " + tools.get(0).name(), "best / " + tools.get(0).name());
        times.forEach((tool, list) -> System.out.printf(Locale.ROOT, "%-28s %10.3f %10.3f %16.2f %14.2f%n",
                tool.name(), median(list), min(list), median(list) / median(peer), min(list) / min(peer)));
    }

    /** A way to copy the tree, by name; {@code copy} answers files and bytes copied, or null if it cannot tell. */
    private record Tool(String name, Copy copy) {
    }

    @FunctionalInterface
    private interface Copy {
        long[] copy(Path source, Path target) throws Exception;
    }

    private static Tool cp() {
        return new Tool("cp -a", (source, target) -> {
            exec(List.of("cp", "-a", source.toString(), target.toString()));
            return null;
        });
    }

    private static Tool engine(String name, Method copy, int threads) {
        return new Tool(name, (source, target) -> {
            try {
                return (long[]) copy.invoke(null, source, target, threads);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        });
    }

    /** {@link EngineCopy#copy} as loaded from this benchmark's classes and {@code jar}, apart from this build. */
    private static Method baselineCopy(Path jar) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--baseline " + jar + " is not a file; give a ferry.jar");
        }
        URL benchClasses = EngineCopy.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader loader = new URLClassLoader("baseline", new URL[] {benchClasses, jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        return loader.loadClass(EngineCopy.class.getName()).getMethod("copy", Path.class, Path.class, int.class);
    }

    private static double min(List<Double> values) {
        return values.stream().min(Double::compare).orElseThrow();
    }

    private long buildTree(Path source) throws IOException {
        Random random = new Random(2024);
        long bytes = 0;
        for (int i = 0; i < smallFiles; i++) {
            Path file = source.resolve("d" + (i % 20)).resolve("e" + (i % 7)).resolve("f" + i + ".dat");
            Files.createDirectories(file.getParent());
            byte[] data = new byte[4096 + random.nextInt(60 * 1024 + 1)];
            random.nextBytes(data);
            Files.write(file, data);
            bytes += data.length;
        }
        byte[] block = new byte[1024 * 1024];
        for (int i = 0; i < largeFiles; i++) {
            Path file = source.resolve("large").resolve("big" + i + ".bin");
            Files.createDirectories(file.getParent());
            try (var out = Files.newOutputStream(file)) {
                for (int written = 0; written < largeFileBytes; written += block.length) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            bytes += largeFileBytes;
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
