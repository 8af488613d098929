package dev.ferry.bench;

import dev.ferry.drivers.TreeCopier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times, in one run on the same trees, {@code cp -a} (the peer), {@code rsync -a}, Ferry's copy engine with
 * checksums off ({@code TreeCopier}) and on (the NFS driver's backup, which writes a manifest with a CRC32C of
 * every file; "not measured" for a build whose backups write none) and a whole restore through Ferry's API, and
 * prints for each tree the median time, the speed (files/s or MB/s) and
 * the ratio of each speed to {@code cp -a}'s. Trees: 20,000 files of 4 KiB in 200 folders, 200 files of 8 MiB and
 * one 1 GiB file. Every timed copy follows a {@code sync} and a read of its source (warm caches); after one
 * untimed warm-up copy by each, three timed runs take turns at going first. {@code --short}: a tenth of the
 * small files, 20 files of 8 MiB and one 64 MiB file, one run each without warm-up, so that CI keeps it working.
 * Run it with {@code bench/copy}, as root (bind mounts; {@code cp -a} keeps owners, as a data node does).
 *
 * <p>Arguments: {@code [--short] [--threads N] [--in FOLDER]}: the engine's copy threads (default 4, as
 * {@code FERRY_COPY_THREADS}); the trees go into a new folder inside {@code FOLDER} (default the temporary
 * folder), removed at the end. The restore starts {@code ferry api} and {@code ferry data-manager} of the ferry.jar
 * on the class path, on a RabbitMQ vhost and a PostgreSQL database of their own on 127.0.0.1.
 */
public final class CopyBenchmark {
    private final List<TreeShape> shapes;
    private final int runs;
    private final boolean warmUp;

    private CopyBenchmark(List<TreeShape> shapes, int runs, boolean warmUp) {
        this.shapes = shapes;
        this.runs = runs;
        this.warmUp = warmUp;
    }

    public static void main(String[] args) throws Exception {
        boolean shortRun = false;
        int threads = 4;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> shortRun = true;
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, "--threads"));
                case "--in" -> parent = Path.of(value(args, ++i, "--in"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; expected [--short] [--threads N] [--in FOLDER]");
            }
        }
        CopyBenchmark benchmark = shortRun
                ? new CopyBenchmark(List.of(new TreeShape("small", 2_000, 20, 4096, true),
                        new TreeShape("medium", 20, 2, 8L << 20, false),
                        new TreeShape("large", 1, 1, 64L << 20, false)), 1, false)
                : new CopyBenchmark(List.of(new TreeShape("small", 20_000, 200, 4096, true),
                        new TreeShape("medium", 200, 10, 8L << 20, false),
                        new TreeShape("large", 1, 1, 1L << 30, false)), 3, true);
        Path work = Files.createTempDirectory(parent, "ferry-bench-copy-");
        Path jar = Path.of(TreeCopier.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<CopyTool> tools = new ArrayList<>();
        AtomicBoolean cleaned = new AtomicBoolean();
        Runnable cleanUp = () -> {
            if (cleaned.compareAndSet(false, true)) {
                cleanUp(tools, work);
            }
        };
        Thread hook = new Thread(cleanUp, "bench-clean-up");
        Runtime.getRuntime().addShutdownHook(hook); // an interrupted run stops its processes and drops its trees
        try {
            tools.add(CommandCopy.cp());
            tools.add(CommandCopy.rsync());
            tools.add(new EngineTool(threads));
            tools.add(BackupTool.probe(work.resolve("probe"), threads));
            System.out.println("starting ferry api and ferry data-manager from " + jar);
            tools.add(new ApiRestoreTool(LocalFerry.start(jar, Files.createDirectories(work.resolve("ferry")))));
            benchmark.run(work, tools);
        } finally {
            cleanUp.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static void cleanUp(List<CopyTool> tools, Path work) {
        for (CopyTool tool : tools) {
            try {
                tool.close();
            } catch (Exception e) {
                System.err.println("cleaning up after " + tool.name() + ": " + e.getMessage());
            }
        }
        try {
            Commands.run("rm", "-rf", "--one-file-system", work.toString());
        } catch (Exception e) {
            System.err.println("removing " + work + ": " + e.getMessage());
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /** Times the tools that can be measured, taking turns; the table lists all of them in the given order. */
    private void run(Path work, List<CopyTool> allTools) throws Exception {
        List<CopyTool> tools = allTools.stream().filter(tool -> tool.notMeasured() == null).toList();
        Map<TreeShape, Map<String, Double>> ratios = new LinkedHashMap<>();
        for (TreeShape shape : shapes) {
            Path source = work.resolve("sources").resolve(shape.key());
            shape.write(source);
            Set<Path> warm = new LinkedHashSet<>();
            for (CopyTool tool : tools) {
                warm.addAll(tool.prepare(source));
            }
            Map<CopyTool, List<Double>> times = new LinkedHashMap<>();
            allTools.forEach(tool -> times.put(tool, new ArrayList<>()));
            for (int run = warmUp ? 0 : 1; run <= runs; run++) { // run 0 is the untimed warm-up
                for (int turn = 0; turn < tools.size(); turn++) {
                    CopyTool tool = tools.get((run + turn) % tools.size()); // each run starts with another tool
                    Path target = Files.createDirectories(work.resolve("targets")
                            .resolve(shape.key() + "-" + run + "-" + turn));
                    tool.before(target);
                    Commands.run("sync");
                    warm.forEach(CopyBenchmark::readAll);
                    long start = System.nanoTime();
                    tool.copy(source, target);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    tool.after(target);
                    check(tool, shape, target);
                    if (run > 0) {
                        times.get(tool).add(seconds);
                    }
                    Commands.run("rm", "-rf", "--one-file-system", target.toString());
                }
            }
            ratios.put(shape, print(shape, times));
            Commands.run("rm", "-rf", "--one-file-system", source.toString());
        }
        printSummary(ratios, tools.get(0).name());
    }

    /** Prints one tree's table; answers each tool's speed ratio to the first tool's, by name. */
    private Map<String, Double> print(TreeShape shape, Map<CopyTool, List<Double>> times) {
        System.out.printf(Locale.ROOT, "%n%s (%.0f MiB), %s%n", shape.label(), shape.bytes() / 1048576.0,
                runs == 1 ? "one run each" : "median of " + runs + " runs each, taking turns to go first");
        String peerName = times.keySet().iterator().next().name();
        double peer = shape.rate(median(times.values().iterator().next()));
        System.out.printf(Locale.ROOT, "%-32s %10s %12s %10s%n", "copy", "median s", shape.unit(),
                "x " + peerName);
        Map<String, Double> ratios = new LinkedHashMap<>();
        times.forEach((tool, list) -> {
            if (tool.notMeasured() != null) {
                ratios.put(tool.name(), null);
                System.out.printf(Locale.ROOT, "%-32s %s%n", tool.name(), tool.notMeasured());
                return;
            }
            double rate = shape.rate(median(list));
            ratios.put(tool.name(), rate / peer);
            System.out.printf(Locale.ROOT, "%-32s %10.3f %12.1f %10.2f%n", tool.name(), median(list), rate,
                    rate / peer);
        });
        return ratios;
    }

    private static void printSummary(Map<TreeShape, Map<String, Double>> ratios, String peerName) {
        System.out.printf(Locale.ROOT, "%nspeed / %s's speed (files/s for small files, MB/s for the others; "
                + "above 1 is faster)%n%-32s", peerName, "copy");
        ratios.keySet().forEach(shape -> System.out.printf(Locale.ROOT, " %16s", shape.key()));
        System.out.println();
        ratios.values().iterator().next().keySet().forEach(name -> {
            System.out.printf(Locale.ROOT, "%-32s", name);
            ratios.values().forEach(byName -> System.out.print(byName.get(name) == null ? String.format(Locale.ROOT,
                    " %16s", "not measured") : String.format(Locale.ROOT, " %16.2f", byName.get(name))));
            System.out.println();
        });
    }

    /** Fails unless {@code target} holds the tree's files and bytes. */
    private static void check(CopyTool tool, TreeShape shape, Path target) throws IOException {
        long[] filesAndBytes = new long[2];
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    filesAndBytes[0]++;
                    filesAndBytes[1] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (filesAndBytes[0] != shape.files() || filesAndBytes[1] != shape.bytes()) {
            throw new IllegalStateException(tool.name() + " left " + filesAndBytes[0] + " files, " + filesAndBytes[1]
                    + " bytes in " + target + " instead of " + shape.files() + ", " + shape.bytes());
        }
    }

    /** Reads every file once, so that the copies read from the page cache. */
    private static void readAll(Path root) {
        byte[] buffer = new byte[1024 * 1024];
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        try (InputStream in = Files.newInputStream(file)) {
                            while (in.read(buffer) >= 0) {
                                // discard
                            }
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
