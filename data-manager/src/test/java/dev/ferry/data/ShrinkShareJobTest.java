package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.drivers.NfsBackupDriver;
import dev.ferry.drivers.NfsDriverConfig;
import dev.ferry.drivers.SubdirShares;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shrinking subdir shares with the share folders in local mode. Sizes of a GiB and more are sparse files, so the
 * test writes almost nothing to disk.
 */
class ShrinkShareJobTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;
    Path base;
    Path shareFolder;
    NfsDriverConfig config;
    final List<Transition> sent = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        base = Files.createDirectory(tmp.resolve("base"));
        shareFolder = Files.createDirectory(base.resolve("s-1"));
        config = NfsDriverConfig.local(Files.createDirectory(tmp.resolve("repository")));
    }

    private JobContext context(long newSizeGib) {
        ShareInfo target = new ShareInfo("s-1", "p", "NFS", newSizeGib, shareFolder.toString());
        Grant grant = new Grant("job-3", 2, JobKind.SHRINK_SHARE, null, null, target, 30);
        return new JobContext(grant, new NfsBackupDriver(config), new SubdirShares(config),
                (t, requestId) -> sent.add(t), "node-1", "req-1", Duration.ZERO);
    }

    private static void sparse(Path file, long bytes) throws IOException {
        Files.createDirectories(file.getParent());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes);
        }
    }

    @Test
    void aShareUsingExactlyTheNewSizeMayShrink() throws IOException {
        sparse(shareFolder.resolve("data/a.bin"), GIB - 10);
        Files.writeString(shareFolder.resolve("b.txt"), "0123456789");

        new ShrinkShareJob(context(1)).run();

        assertEquals(1, sent.size());
        assertEquals(Outcome.SUCCEEDED, sent.get(0).outcome());
        assertEquals(2, sent.get(0).epoch(), "transitions quote the grant's epoch");
    }

    @Test
    void aShareUsingMoreThanTheNewSizeIsRefusedNamingBoth() throws IOException {
        sparse(shareFolder.resolve("data/a.bin"), GIB);
        Files.writeString(shareFolder.resolve("b.txt"), "x");

        new ShrinkShareJob(context(1)).run();

        assertEquals(1, sent.size());
        Transition failed = sent.get(0);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertEquals(FailureDetail.SHRINK_BELOW_USED_SPACE, failed.detail());
        assertFalse(failed.targetTouched());
        assertEquals("Cannot shrink share s-1 to 1 GiB: it uses " + (GIB + 1) + " bytes (1.01 GiB), more than the "
                + "1 GiB (" + GIB + " bytes) asked for. Choose a size of at least 2 GiB, or remove data first",
                failed.reason());
        assertTrue(Files.exists(shareFolder.resolve("b.txt")), "nothing on the share changes");
    }

    @Test
    void symbolicLinksDoNotCountAsTheirTargets() throws IOException {
        Path outside = tmp.resolve("outside");
        sparse(outside.resolve("huge.bin"), 10 * GIB);
        Files.writeString(shareFolder.resolve("small.txt"), "small");
        Files.createSymbolicLink(shareFolder.resolve("huge-file"), outside.resolve("huge.bin"));
        Files.createSymbolicLink(shareFolder.resolve("huge-folder"), outside);

        new ShrinkShareJob(context(1)).run();

        assertEquals(Outcome.SUCCEEDED, sent.get(0).outcome());
    }

    @Test
    void aLargerShareFitsALargerSize() throws IOException {
        sparse(shareFolder.resolve("a.bin"), 3 * GIB);

        new ShrinkShareJob(context(2)).run();
        new ShrinkShareJob(context(3)).run();

        assertEquals(List.of(Outcome.FAILED, Outcome.SUCCEEDED), sent.stream().map(Transition::outcome).toList());
        assertTrue(sent.get(0).reason().contains("at least 3 GiB"), sent.get(0).reason());
    }

    @Test
    void aShareWhoseExportIsMissingFailsAsAMountFailure() throws IOException {
        Files.delete(shareFolder);

        new ShrinkShareJob(context(1)).run();

        assertEquals(Outcome.FAILED, sent.get(0).outcome());
        assertEquals(FailureDetail.MOUNT_FAILED, sent.get(0).detail());
        assertTrue(sent.get(0).reason().contains(shareFolder.toString()), sent.get(0).reason());
    }

    @Test
    void usedSpaceInGibIsRoundedUp() {
        assertEquals("0.00", ShrinkShareJob.gib(0));
        assertEquals("0.01", ShrinkShareJob.gib(1));
        assertEquals("1.00", ShrinkShareJob.gib(GIB));
        assertEquals("1.01", ShrinkShareJob.gib(GIB + 1));
        assertEquals("1.50", ShrinkShareJob.gib(GIB + GIB / 2));
    }

    @Test
    void theRunnerCreatesAShrinkShareJobForTheShrinkShareKind() {
        assertInstanceOf(ShrinkShareJob.class, JobRunner.jobFor(context(1)));
    }
}
