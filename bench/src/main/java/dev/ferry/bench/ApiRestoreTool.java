package dev.ferry.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A whole restore through Ferry's API: the tree is first backed up through the API (untimed); each copy then
 * registers the empty target folder as a share and restores the backup into it, timed from the POST until the
 * share is {@code available}, as a user waits for it.
 */
final class ApiRestoreTool implements CopyTool {
    private final LocalFerry ferry;
    private String backupId;
    private int targets;
    private String targetShare;

    ApiRestoreTool(LocalFerry ferry) {
        this.ferry = ferry;
    }

    @Override
    public String name() {
        return "whole restore through the API";
    }

    @Override
    public List<Path> prepare(Path source) throws Exception {
        String share = ferry.manageShare("bench-source-" + source.getFileName(), source);
        backupId = ferry.backUp(share);
        return List.of(ferry.backupTree(backupId));
    }

    @Override
    public void before(Path target) throws Exception {
        targetShare = ferry.manageShare("bench-target-" + ++targets, target);
    }

    @Override
    public void copy(Path source, Path target) throws Exception {
        ferry.restore(backupId, targetShare);
    }

    @Override
    public void after(Path target) throws Exception {
        ferry.awaitBackupAvailable(backupId);
    }

    @Override
    public void close() throws Exception {
        ferry.close();
    }
}
