package dev.ferry.bench;

import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.Manifest;
import dev.ferry.drivers.NfsBackupDriver;
import dev.ferry.drivers.NfsDriverConfig;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.ShareLocation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Ferry's copy engine with checksums on: the backup path of the NFS driver in local mode, in this process, which
 * copies the tree into {@code <repository>/<backup id>/} and writes the backup's manifest beside it (a CRC32C of
 * every file, taken while copying). The target folder is the backup's folder, its parent the repository. A build
 * whose backups write no manifest cannot be measured this way; {@link #notMeasured} then says so.
 */
final class BackupTool implements CopyTool {
    private final int threads;
    private final String notMeasured;
    private NfsBackupDriver driver;

    private BackupTool(int threads, String notMeasured) {
        this.threads = threads;
        this.notMeasured = notMeasured;
    }

    /** Backs up a one-file tree in {@code scratch} to learn whether this build's backups write a manifest. */
    static BackupTool probe(Path scratch, int threads) throws Exception {
        Path share = Files.createDirectories(scratch.resolve("share"));
        Files.writeString(share.resolve("one-file"), "probe\n");
        Path repository = Files.createDirectories(scratch.resolve("repository"));
        driver(repository, threads).backup(request("probe", share), ProgressListener.ignoring(), new Cancellation());
        boolean manifest = Files.exists(repository.resolve(Manifest.fileName("probe")));
        Commands.run("rm", "-rf", "--one-file-system", scratch.toString());
        return new BackupTool(threads, manifest ? null : "not measured: this build's backups write no manifest");
    }

    private static NfsBackupDriver driver(Path repository, int threads) {
        return new NfsBackupDriver(new NfsDriverConfig(repository.toString(), "", "", "", "nfs", "", "", "", null,
                true, NfsDriverConfig.DEFAULT_IGNORE_FILES, threads, false, 0));
    }

    private static BackupRequest request(String backupId, Path share) {
        return new BackupRequest(backupId, new ShareLocation("bench-share", "NFS", share.toString()));
    }

    @Override
    public String name() {
        return "Ferry engine, checksums on";
    }

    @Override
    public String notMeasured() {
        return notMeasured;
    }

    @Override
    public List<Path> prepare(Path source) {
        return List.of(source);
    }

    @Override
    public void before(Path target) {
        driver = driver(target.getParent(), threads);
    }

    @Override
    public void copy(Path source, Path target) throws Exception {
        driver.backup(request(target.getFileName().toString(), source), ProgressListener.ignoring(),
                new Cancellation());
    }

    @Override
    public void after(Path target) throws Exception {
        Path manifest = target.resolveSibling(Manifest.fileName(target.getFileName().toString()));
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalStateException("the backup wrote no manifest at " + manifest);
        }
        Files.delete(manifest);
    }
}
