package dev.ferry.bench;

import dev.ferry.drivers.ManifestEntry;
import dev.ferry.drivers.ManifestWriter;
import dev.ferry.drivers.SqliteManifest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Browsing a backup: times the first page (1,000 entries) of a folder holding 1,000,000 entries, read from a
 * backup manifest ({@link SqliteManifest#children}, the manifest opened afresh each time as a browse request
 * opens it), and a page at a deep offset (the last page), against {@code LC_ALL=C sort} of a file of the same
 * 1,000,000 names read with {@code head -n 1000}, measured in the same run. The manifest is built with
 * {@link ManifestWriter}, the names appended in a scattered order, as a walk finds them. After an untimed
 * warm-up, medians of three; {@code --short}: 100,000 entries, one run each. Issue 11's goal: the first page in
 * under a second. Run it with {@code bench/manifest-browse}.
 *
 * <p>Arguments: {@code [--short] [--entries N] [--in FOLDER]}: the manifest and the names file go into a new
 * folder inside {@code FOLDER} (default the temporary folder), removed at the end.
 */
public final class ManifestBrowseBenchmark {
    private static final int PAGE = 1_000;
    private static final byte[] FOLDER = "big".getBytes(StandardCharsets.UTF_8);

    private final int entries;
    private final int runs;

    private ManifestBrowseBenchmark(int entries, int runs) {
        this.entries = entries;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        boolean shortRun = false;
        Integer entries = null;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> shortRun = true;
                case "--entries" -> entries = Integer.parseInt(value(args, ++i, "--entries"));
                case "--in" -> parent = Path.of(value(args, ++i, "--in"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; expected [--short] [--entries N] [--in FOLDER]");
            }
        }
        int count = entries != null ? entries : shortRun ? 100_000 : 1_000_000;
        if (count < PAGE) {
            throw new IllegalArgumentException("--entries must be at least " + PAGE + " (one page), was " + count);
        }
        Path work = Files.createTempDirectory(parent, "ferry-bench-browse-");
        try {
            new ManifestBrowseBenchmark(count, shortRun ? 1 : 3).run(work);
        } finally {
            Commands.run("rm", "-rf", "--one-file-system", work.toString());
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /** The name of the {@code i}-th entry appended: a permutation of 0..entries-1, so names arrive unsorted. */
    private String name(long i) {
        long scattered = (i * 7_919L + 12_345L) % entries; // 7,919 is prime and divides no count of entries used
        return String.format(Locale.ROOT, "file-%08d.dat", scattered);
    }

    private void run(Path work) throws Exception {
        if (entries % 7_919 == 0) {
            throw new IllegalArgumentException("--entries must not be a multiple of 7919");
        }
        Path manifestFile = work.resolve("backup.manifest");
        Path names = work.resolve("names.txt");
        long start = System.nanoTime();
        writeManifest(manifestFile);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        try (BufferedWriter out = Files.newBufferedWriter(names, StandardCharsets.UTF_8)) {
            for (long i = 0; i < entries; i++) {
                out.write(name(i));
                out.write('\n');
            }
        }
        System.out.printf(Locale.ROOT, "manifest of %,d entries in one folder written in %.1f s (%.0f MiB)%n",
                entries, buildSeconds, Files.size(manifestFile) / 1048576.0);

        List<String> sortedHead = sortHead(names);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        String peer = "LC_ALL=C sort | head -n " + PAGE;
        String first = "first page (open + children)";
        String deep = "last page (offset " + String.format(Locale.ROOT, "%,d", entries - PAGE) + ")";
        times.put(peer, new ArrayList<>());
        times.put(first, new ArrayList<>());
        times.put(deep, new ArrayList<>());
        Commands.run("sync");
        for (int run = 0; run <= runs; run++) { // run 0 is the untimed warm-up
            long t0 = System.nanoTime();
            List<String> head = sortHead(names);
            long t1 = System.nanoTime();
            List<ManifestEntry> page = page(manifestFile, 0);
            long t2 = System.nanoTime();
            List<ManifestEntry> last = page(manifestFile, entries - PAGE);
            long t3 = System.nanoTime();
            if (!head.equals(sortedHead) || !names(page).equals(sortedHead)) {
                throw new IllegalStateException("the manifest's first page does not hold the first " + PAGE
                        + " names in byte order: it starts " + names(page).subList(0, 3) + ", sort's " + head.subList(0, 3));
            }
            String lastName = String.format(Locale.ROOT, "file-%08d.dat", entries - 1);
            if (last.size() != PAGE || !last.get(PAGE - 1).pathText().equals("big/" + lastName)) {
                throw new IllegalStateException("the last page holds " + last.size() + " entries ending "
                        + (last.isEmpty() ? "nowhere" : last.get(last.size() - 1).pathText()) + ", not big/" + lastName);
            }
            if (run > 0) {
                times.get(peer).add((t1 - t0) / 1e6);
                times.get(first).add((t2 - t1) / 1e6);
                times.get(deep).add((t3 - t2) / 1e6);
            }
        }
        double peerMs = median(times.get(peer));
        System.out.printf(Locale.ROOT, "%s, %,d entries in the folder, page of %,d%n",
                runs == 1 ? "one run each" : "median of " + runs + " runs each after a warm-up", entries, PAGE);
        System.out.printf(Locale.ROOT, "%-36s %10s %16s%n", "list", "median ms", "time / sort's");
        times.forEach((name, list) -> System.out.printf(Locale.ROOT, "%-36s %10.1f %16.3f%n", name, median(list),
                median(list) / peerMs));
        double firstMs = median(times.get(first));
        System.out.printf(Locale.ROOT, "goal: the first page in under 1,000 ms: %s (%.1f ms)%n",
                firstMs < 1000 ? "met" : "NOT met", firstMs);
    }

    private void writeManifest(Path file) throws IOException {
        try (ManifestWriter writer = ManifestWriter.create(file)) {
            writer.append(new ManifestEntry(0, FOLDER, ManifestEntry.DIRECTORY, 0, 0755, 0, 0, 0, 0, null, 0, 0,
                    false, null));
            for (long i = 0; i < entries; i++) {
                byte[] path = ("big/" + name(i)).getBytes(StandardCharsets.UTF_8);
                writer.append(new ManifestEntry(0, path, ManifestEntry.FILE, 4096, 0644, 0, 0, i, i, null, 0,
                        (int) i, false, null));
            }
            writer.complete();
        }
    }

    /** One page of the big folder, the manifest opened for it and closed after, as one browse request does. */
    private static List<ManifestEntry> page(Path file, long offset) throws IOException {
        try (SqliteManifest manifest = SqliteManifest.open(file)) {
            return manifest.children(FOLDER, PAGE, offset);
        }
    }

    private static List<String> names(List<ManifestEntry> page) {
        return page.stream().map(e -> e.pathText().substring("big/".length())).toList();
    }

    private static List<String> sortHead(Path names) throws IOException, InterruptedException {
        String output = Commands.run("sh", "-c", "LC_ALL=C sort \"$1\" | head -n " + PAGE, "sort-head",
                names.toString());
        return List.of(output.split("\n"));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
