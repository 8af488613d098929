package dev.ferry.bench;

import java.nio.file.Path;

/** One way of copying a tree that {@link CopyBenchmark} times, by the name its table shows. */
interface CopyTool extends AutoCloseable {

    String name();

    /** Untimed: readies copies of the tree at {@code source} (e.g. backs it up); answers the folders to warm. */
    default java.util.List<Path> prepare(Path source) throws Exception {
        return java.util.List.of(source);
    }

    /** Copies everything inside {@code source} into {@code target}, an existing empty folder. Timed. */
    void copy(Path source, Path target) throws Exception;

    /** Untimed, before each copy into {@code target} (e.g. registers it as a share). */
    default void before(Path target) throws Exception {
    }

    /** Untimed, after each copy into {@code target}: waits for what the copy left running, removes its side files. */
    default void after(Path target) throws Exception {
    }

    /** Null when this tool can be measured; otherwise what the table shows instead of figures, and why. */
    default String notMeasured() {
        return null;
    }

    @Override
    default void close() throws Exception {
    }
}
