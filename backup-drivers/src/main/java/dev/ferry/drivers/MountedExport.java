package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An export made available at {@link #path()}: mounted on a fresh mount point, or (local mode) a local folder
 * used in place. Closing unmounts and removes the mount point and its owner file; failures are logged, never
 * thrown, so cleanup of one export cannot stop cleanup of another. The mount point is only ever removed with
 * rmdir, so a failed unmount can never lead to deleting the export's content; a mount left behind is
 * unmounted by the next node that starts once this process is gone ({@link StaleMountCleaner}).
 */
final class MountedExport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MountedExport.class);

    private final String description;
    private final Path path;
    private final List<String> unmountCommand; // null in local mode
    private final CommandRunner runner;
    private final MountOptionsMask mask;

    private MountedExport(String description, Path path, List<String> unmountCommand, CommandRunner runner,
                          MountOptionsMask mask) {
        this.description = description;
        this.path = path;
        this.unmountCommand = unmountCommand;
        this.runner = runner;
        this.mask = mask;
    }

    static MountedExport local(String description, Path folder) {
        return new MountedExport(description, folder, null, null, MountOptionsMask.NONE);
    }

    /** {@code mask} keeps the mount options out of what a failed unmount logs. */
    static MountedExport mounted(String description, Path mountPoint, List<String> unmountCommand,
                                 CommandRunner runner, MountOptionsMask mask) {
        return new MountedExport(description, mountPoint, List.copyOf(unmountCommand), runner, mask);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (unmountCommand == null) {
            return;
        }
        // An interrupted job (e.g. the node shutting down) must still unmount: run with the flag cleared.
        boolean interrupted = Thread.interrupted();
        try {
            log.info("Unmounting {} from {}", description, path);
            runner.run(unmountCommand, mask);
            removeMountPoint(description, path);
        } catch (CommandFailedException e) {
            log.warn("Could not unmount {} from {}: {}. It stays mounted: unmount it by hand (umount {}) and "
                    + "remove the folder", description, path, e.getMessage(), path);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Removes an empty mount-point folder (rmdir only), then its owner file. */
    static void removeMountPoint(String description, Path mountPoint) {
        try {
            Files.deleteIfExists(mountPoint);
            Files.deleteIfExists(MountOwner.fileFor(mountPoint));
        } catch (IOException e) {
            log.warn("Could not remove the mount point {} of {}: {}. Remove it by hand once it is unmounted",
                    mountPoint, description, IoErrors.describe(e));
        }
    }
}
