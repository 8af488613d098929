package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.drivers.NfsBackupDriver;
import dev.ferry.drivers.NfsDriverConfig;
import dev.ferry.drivers.SubdirShares;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc.Grant;
import dev.ferry.messages.StatusRpc.Outcome;
import dev.ferry.messages.StatusRpc.Transition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating subdir shares, empty or from a backup, with the NFS driver and the share folders in local mode. */
class CreateShareJobTest {
    private static final BackupRow BACKUP = new BackupRow("b1", "u", "p", "source", 1, null, "manila-data", null,
            null, "100", "0", "restoring", null, null, null, null, null);

    @TempDir
    Path tmp;
    Path repository;
    Path base;
    NfsDriverConfig config;
    final List<Transition> sent = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        repository = Files.createDirectory(tmp.resolve("repository"));
        base = Files.createDirectory(tmp.resolve("base"));
        config = NfsDriverConfig.local(repository);
    }

    private ShareInfo share(String id, String protocol) {
        return new ShareInfo(id, "p", protocol, 1, base + "/" + id);
    }

    private JobContext context(NfsDriverConfig driverConfig, SubdirShares shares, BackupRow backup, ShareInfo source,
                               ShareInfo target) {
        Grant grant = new Grant("job-1", 5, JobKind.CREATE_SHARE, backup, source, target, 30);
        return new JobContext(grant, new NfsBackupDriver(driverConfig), shares, (t, requestId) -> sent.add(t),
                "node-1", "req-1", Duration.ZERO);
    }

    private void run(BackupRow backup, ShareInfo source, ShareInfo target) {
        new CreateShareJob(context(config, new SubdirShares(config), backup, source, target)).run();
    }

    private Transition last() {
        return sent.get(sent.size() - 1);
    }

    private void writeBackup() throws IOException {
        Path folder = repository.resolve("b1");
        Files.createDirectories(folder.resolve("docs/deeper"));
        Files.writeString(folder.resolve("docs/report.txt"), "quarterly report");
        Files.write(folder.resolve("docs/deeper/blob.bin"), new byte[300_000]);
        Files.createSymbolicLink(folder.resolve("latest"), Path.of("docs/report.txt"));
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p) + (Files.isSymbolicLink(p) ? " -> link"
                    : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "")).sorted().toList();
        }
    }

    @Test
    void createsAnEmptyFolderWritableForEveryoneAndSucceeds() throws IOException {
        run(null, null, share("s-new", "NFS"));

        Path folder = base.resolve("s-new");
        assertTrue(Files.isDirectory(folder));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals(List.of(), tree(folder).stream().filter(e -> !e.equals("/")).toList());
        assertEquals(1, sent.size());
        assertEquals(Outcome.SUCCEEDED, last().outcome());
        assertEquals(5, last().epoch(), "transitions quote the grant's epoch");
        assertEquals("job-1", last().jobId());
    }

    @Test
    void aCreateFromABackupFillsTheNewFolderWithTheBackupsTree() throws IOException {
        writeBackup();

        run(BACKUP, share("source", "NFS"), share("s-new", "nfs"));

        Path folder = base.resolve("s-new");
        assertEquals(tree(repository.resolve("b1")), tree(folder));
        assertEquals("quarterly report", Files.readString(folder.resolve("docs/report.txt")));
        assertEquals(Path.of("docs/report.txt"), Files.readSymbolicLink(folder.resolve("latest")));
        assertEquals(Outcome.SUCCEEDED, last().outcome());
        assertTrue(sent.stream().anyMatch(t -> t.outcome() == Outcome.PROGRESS),
                "the restore reports progress as a restore job does: " + sent);
        assertTrue(sent.stream().filter(t -> t.outcome() == Outcome.PROGRESS).allMatch(t -> t.progress() < 100));
    }

    @Test
    void aCreateFromABackupIsATargetedRestoreAndNeedsTheCapabilityBeforeAnyFolderIsMade() throws IOException {
        writeBackup();
        NfsDriverConfig noTargets = config.withRestoreToTarget(false);

        new CreateShareJob(context(noTargets, new SubdirShares(noTargets), BACKUP, share("source", "NFS"),
                share("s-new", "NFS"))).run();

        assertEquals(1, sent.size());
        assertEquals(Outcome.FAILED, last().outcome());
        assertEquals(FailureDetail.TARGETED_RESTORE_UNSUPPORTED, last().detail());
        assertEquals("Cannot restore backup b1 to target share s-new as backup driver does not provide support "
                + "for targeted restores", last().reason());
        assertFalse(last().targetTouched());
        assertFalse(Files.exists(base.resolve("s-new")), "no folder is made when the restore is refused");
    }

    @Test
    void anUnsupportedProtocolPairIsRefusedBeforeAnyFolderIsMade() throws IOException {
        writeBackup();

        run(BACKUP, share("source", "NFS"), share("s-new", "CIFS"));

        assertEquals(FailureDetail.PROTOCOL_PAIR_UNSUPPORTED, last().detail());
        assertTrue(last().reason().contains("CIFS"), last().reason());
        assertFalse(last().targetTouched());
        assertFalse(Files.exists(base.resolve("s-new")));
    }

    @Test
    void aBackupWhoseDataIsMissingFailsAfterTheFolderWasMade() {
        run(BACKUP, share("source", "NFS"), share("s-new", "NFS"));

        assertEquals(Outcome.FAILED, last().outcome());
        assertEquals(FailureDetail.BACKUP_DATA_MISSING, last().detail());
        assertFalse(last().targetTouched());
        assertTrue(Files.isDirectory(base.resolve("s-new")));
    }

    @Test
    void aShareThatIsNotASubdirShareFailsAsAFolderFailure() {
        ShareInfo notSubdir = new ShareInfo("s-new", "p", "NFS", 1, base.toString());

        run(null, null, notSubdir);

        assertEquals(1, sent.size());
        assertEquals(Outcome.FAILED, last().outcome());
        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, last().detail());
        assertTrue(last().reason().contains("is not a subdir share"), last().reason());
        assertFalse(last().targetTouched());
    }

    @Test
    void aFileInTheWayFailsAsAFolderFailureAndNoRestoreRuns() throws IOException {
        writeBackup();
        Files.writeString(base.resolve("s-new"), "in the way");

        run(BACKUP, share("source", "NFS"), share("s-new", "NFS"));

        assertEquals(1, sent.size(), "no progress: the restore never started");
        assertEquals(FailureDetail.SHARE_FOLDER_FAILED, last().detail());
        assertEquals("in the way", Files.readString(base.resolve("s-new")));
    }

    @Test
    void aContextWithoutShareFoldersFailsSayingSo() {
        new CreateShareJob(context(config, null, null, null, share("s-new", "NFS"))).run();

        assertEquals(Outcome.FAILED, last().outcome());
        assertEquals(FailureDetail.UNKNOWN_ERROR, last().detail());
        assertTrue(last().reason().contains("no subdir share backend"), last().reason());
        assertFalse(Files.exists(base.resolve("s-new")));
    }

    @Test
    void aSilencedCreateSendsNothing() {
        JobContext context = context(config, new SubdirShares(config), null, null, share("s-new", "NFS"));
        CreateShareJob job = new CreateShareJob(context);
        assertTrue(context.silence("the lease was lost"));
        job.cancel();

        job.run();

        assertEquals(List.of(), sent);
        assertFalse(Files.exists(base.resolve("s-new")), "a cancelled create makes no folder");
    }

    @Test
    void theRunnerCreatesACreateShareJobForTheCreateShareKind() {
        assertInstanceOf(CreateShareJob.class,
                JobRunner.jobFor(context(config, new SubdirShares(config), null, null, share("s-new", "NFS"))));
    }
}
