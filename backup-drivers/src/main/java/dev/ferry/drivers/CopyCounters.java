package dev.ferry.drivers;

import java.util.concurrent.atomic.LongAdder;

/** Thread-safe tallies of what a copy did, read out as a {@link CopyReport}. */
final class CopyCounters {

    private final LongAdder files = new LongAdder();
    private final LongAdder directories = new LongAdder();
    private final LongAdder symlinks = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    void file(long size) {
        files.increment();
        bytes.add(size);
    }

    void directory() {
        directories.increment();
    }

    void symlink() {
        symlinks.increment();
    }

    void skipped() {
        skipped.increment();
    }

    CopyReport report() {
        return new CopyReport(files.sum(), directories.sum(), symlinks.sum(), bytes.sum(), skipped.sum());
    }
}
