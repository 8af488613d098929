package dev.ferry.data;

import dev.ferry.drivers.CopyReport;
import dev.ferry.messages.CopyCounters;

/**
 * What a finished restore's {@link CopyReport} means for its job: the attempt's counters, whether it failed because
 * repository files were damaged or missing (the sound ones were restored), and the notice for attributes the target
 * refused. The texts follow the user message's detail, so they name the count and the first path.
 */
record RestoreOutcome(CopyReport report) {

    CopyCounters counters() {
        return new CopyCounters(report.files(), report.filesSkipped(), report.bytes(), report.bytesSkipped(),
                report.damagedFiles(), report.metadataDropped());
    }

    boolean damaged() {
        return report.damagedFiles() > 0;
    }

    /** The failure's specifics: how many files were not restored, and the first of them. */
    String damagedReason() {
        return count(report.damagedFiles(), "file was", "files were") + " not restored; the first is \""
                + report.firstDamaged() + "\". The other files were restored. Verify the backup, and restore "
                + "these files from another backup.";
    }

    boolean metadataDropped() {
        return report.metadataDropped() > 0;
    }

    /** The notice's specifics: how many attributes or ACLs were left out, and the first of them. */
    String droppedReason() {
        return count(report.metadataDropped(), "extended attribute or ACL was", "extended attributes or ACLs were")
                + " left out; the first: " + report.firstDropped() + ".";
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
