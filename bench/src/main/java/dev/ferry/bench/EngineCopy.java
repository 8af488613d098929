package dev.ferry.bench;

import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyOptions;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.TreeCopier;

import java.nio.file.Path;
import java.util.List;

/**
 * One copy with whichever {@link TreeCopier} its class loader sees: the benchmark loads this class once
 * from this build's ferry.jar and, for a baseline, once more from another build's jar in a class loader
 * of its own, so both engines run side by side in one process.
 */
public final class EngineCopy {

    private EngineCopy() {
    }

    /** Copies {@code source} to {@code target}; answers the files and bytes copied. */
    public static long[] copy(Path source, Path target, int threads) throws Exception {
        TreeCopier copier = new TreeCopier(CopyOptions.of(List.of("lost+found"), threads, false));
        CopyReport report = copier.copy(source, target, ProgressListener.ignoring(), new Cancellation());
        return new long[] {report.files(), report.bytes()};
    }
}
