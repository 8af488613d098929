package dev.ferry.drivers;

import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe tallies of what a restore from a manifest did, read out as a {@link CopyReport}. The "first" damaged
 * file and dropped attribute are the ones of the lowest manifest id, whatever thread found them first.
 */
final class RestoreCounters {

    private final LongAdder files = new LongAdder();
    private final LongAdder directories = new LongAdder();
    private final LongAdder symlinks = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder filesSkipped = new LongAdder();
    private final LongAdder bytesSkipped = new LongAdder();
    private final LongAdder damaged = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final First firstDamaged = new First();
    private final First firstDropped = new First();

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

    void fileSkipped(long size) {
        filesSkipped.increment();
        bytesSkipped.add(size);
    }

    void damaged(long id, String path) {
        damaged.increment();
        firstDamaged.offer(id, path);
    }

    void dropped(long id, String what) {
        dropped.increment();
        firstDropped.offer(id, what);
    }

    long damagedFiles() {
        return damaged.sum();
    }

    CopyReport report() {
        return new CopyReport(files.sum(), directories.sum(), symlinks.sum(), bytes.sum(), skipped.sum(),
                filesSkipped.sum(), bytesSkipped.sum(), damaged.sum(), firstDamaged.text(), dropped.sum(),
                firstDropped.text(), false);
    }

    /** The text offered with the lowest id. */
    private static final class First {
        private long id = Long.MAX_VALUE;
        private String text;

        synchronized void offer(long candidateId, String candidate) {
            if (candidateId < id) {
                id = candidateId;
                text = candidate;
            }
        }

        synchronized String text() {
            return text;
        }
    }
}
