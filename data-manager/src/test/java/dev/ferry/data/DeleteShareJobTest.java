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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting subdir shares with the share folders in local mode. */
class DeleteShareJobTest {

    @TempDir
    Path tmp;
    Path base;
    NfsDriverConfig config;
    final List<Transition> sent = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        base = Files.createDirectory(tmp.resolve("base"));
        config = NfsDriverConfig.local(Files.createDirectory(tmp.resolve("repository")));
    }

    private JobContext context(ShareInfo target) {
        Grant grant = new Grant("job-2", 7, JobKind.DELETE_SHARE, null, null, target, 30);
        return new JobContext(grant, new NfsBackupDriver(config), new SubdirShares(config),
                (t, requestId) -> sent.add(t), "node-1", "req-1", Duration.ZERO);
    }

    private ShareInfo share(String id) {
        return new ShareInfo(id, "p", "NFS", 1, base + "/" + id);
    }

    private List<Path> baseEntries() throws IOException {
        try (Stream<Path> entries = Files.list(base)) {
            return entries.sorted().toList();
        }
    }

    @Test
    void removesTheFolderWithoutFollowingLinksAndSucceeds() throws IOException {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "kept");
        Files.createDirectories(base.resolve("s-1/docs"));
        Files.writeString(base.resolve("s-1/docs/report.txt"), "report");
        Files.createSymbolicLink(base.resolve("s-1/docs/outside"), outside);
        Files.createDirectories(base.resolve("s-2"));

        new DeleteShareJob(context(share("s-1"))).run();

        assertEquals(List.of(base.resolve("s-2")), baseEntries());
        assertEquals("kept", Files.readString(outside.resolve("keep.txt")));
        assertEquals(1, sent.size());
        assertEquals(Outcome.SUCCEEDED, sent.get(0).outcome());
        assertEquals(7, sent.get(0).epoch(), "transitions quote the grant's epoch");
    }

    @Test
    void aFolderAlreadyGoneIsDeletedSuccessfully() {
        new DeleteShareJob(context(share("s-1"))).run();

        assertEquals(Outcome.SUCCEEDED, sent.get(0).outcome());
    }

    @Test
    void aShareThatIsNotASubdirShareFailsAsAFolderFailureAndKeepsItsData() throws IOException {
        Files.createDirectories(base.resolve("data"));
        Files.writeString(base.resolve("data/f.txt"), "f");

        new DeleteShareJob(context(new ShareInfo("s-1", "p", "NFS", 1, base + "/data"))).run();

        assertEquals(1, sent.size());
        Transition failed = sent.get(0);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, failed.detail());
        assertTrue(failed.reason().contains("is not a subdir share"), failed.reason());
        assertFalse(failed.targetTouched());
        assertEquals("f", Files.readString(base.resolve("data/f.txt")));
    }

    @Test
    void aGrantWithoutATargetShareFails() {
        new DeleteShareJob(context(null)).run();

        assertEquals(Outcome.FAILED, sent.get(0).outcome());
        assertEquals(FailureDetail.UNKNOWN_ERROR, sent.get(0).detail());
        assertTrue(sent.get(0).reason().contains("names no target share"), sent.get(0).reason());
    }

    @Test
    void aSilencedDeleteSendsNothingAndRemovesNothing() throws IOException {
        Files.createDirectories(base.resolve("s-1"));
        JobContext context = context(share("s-1"));
        DeleteShareJob job = new DeleteShareJob(context);
        assertTrue(context.silence("the lease was lost"));
        job.cancel();

        job.run();

        assertEquals(List.of(), sent);
        assertTrue(Files.isDirectory(base.resolve("s-1")));
    }

    @Test
    void theRunnerCreatesADeleteShareJobForTheDeleteShareKind() {
        assertInstanceOf(DeleteShareJob.class, JobRunner.jobFor(context(share("s-1"))));
    }
}
