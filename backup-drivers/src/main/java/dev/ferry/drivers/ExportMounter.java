package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes an export available on this node with mount and unmount templates: on a fresh mount point under the
 * mount root, or, when the mount template is blank, by using the export path as a local folder. Each mount
 * point gets a {@link MountOwner} file naming this process, so a node starting later knows whether the mount
 * is a dead process's leftover.
 */
final class ExportMounter {

    private static final Logger log = LoggerFactory.getLogger(ExportMounter.class);
    private static final Pattern UNSAFE_NAME_CHARS = Pattern.compile("[^A-Za-z0-9._-]");

    private final CommandRunner runner;
    private final Path mountRoot;
    private final MountTable mountTable;

    ExportMounter(CommandRunner runner, Path mountRoot, MountTable mountTable) {
        this.runner = runner;
        this.mountRoot = mountRoot;
        this.mountTable = mountTable;
    }

    /**
     * @param label       names the mount point, e.g. {@code backup-<id>} or {@code share-<id>}
     * @param description says what is mounted, for logs and errors
     */
    MountedExport mount(String label, String description, CommandTemplate mount, CommandTemplate unmount,
                        String proto, String options, String export) throws MountException {
        if (mount.isLocal()) {
            return useLocalFolder(description, export);
        }
        Path mountPoint;
        try {
            Files.createDirectories(mountRoot);
            mountPoint = Files.createTempDirectory(mountRoot, UNSAFE_NAME_CHARS.matcher(label).replaceAll("_") + "-");
        } catch (IOException e) {
            throw new MountException("Cannot create a mount point for " + description + " under " + mountRoot + ": "
                    + IoErrors.describe(e) + ". Check that the mount root is writable", e);
        }
        try {
            MountOwner.thisProcess().writeFor(mountPoint);
        } catch (IOException e) {
            MountedExport.removeMountPoint(description, mountPoint);
            throw new MountException("Cannot record the owner of mount point " + mountPoint + " for " + description
                    + ": " + IoErrors.describe(e) + ". Check that the mount root is writable", e);
        }
        MountOptionsMask mask = MountOptionsMask.of(options);
        List<String> mountCommand;
        List<String> unmountCommand;
        try {
            mountCommand = mount.render(Map.of(CommandTemplate.PROTO, proto, CommandTemplate.OPTIONS, options,
                    CommandTemplate.EXPORT, export, CommandTemplate.PATH, mountPoint.toString()));
            unmountCommand = unmount.render(Map.of(CommandTemplate.PROTO, proto, CommandTemplate.OPTIONS, options,
                    CommandTemplate.EXPORT, export, CommandTemplate.PATH, mountPoint.toString()));
        } catch (IllegalArgumentException e) {
            MountedExport.removeMountPoint(description, mountPoint);
            throw new MountException("Cannot mount " + description + ": " + mask.apply(e.getMessage()), null);
        }
        try {
            log.info("Mounting {} ({}) at {}", description, export, mountPoint);
            runner.run(mountCommand, mask);
        } catch (CommandFailedException e) {
            cleanUpFailedMount(description, mountPoint, unmountCommand, mask);
            throw new MountException("Cannot mount " + description + " (" + export + "): " + e.getMessage()
                    + ". Check the export, the node's access to it and the mount template", e);
        }
        return MountedExport.mounted(description, mountPoint, unmountCommand, runner, mask);
    }

    private MountedExport useLocalFolder(String description, String export) throws MountException {
        Path folder = Path.of(export);
        if (!Files.isDirectory(folder)) {
            throw new MountException("Cannot use " + description + ": the mount template is empty (local mode), so its "
                    + "export path must be a local folder, and " + export + " is not one. Create the folder or "
                    + "configure a mount template", null);
        }
        return MountedExport.local(description, folder);
    }

    /** A failed mount command may still have mounted something (e.g. killed after a timeout): undo it. */
    private void cleanUpFailedMount(String description, Path mountPoint, List<String> unmountCommand,
                                    MountOptionsMask mask) {
        try {
            if (mountTable.isMountPoint(mountPoint)) {
                log.warn("The failed mount of {} left {} mounted; unmounting it", description, mountPoint);
                MountedExport.mounted(description, mountPoint, unmountCommand, runner, mask).close();
                return;
            }
        } catch (IOException e) {
            log.warn("Could not read the mount table to check {}: {}", mountPoint, IoErrors.describe(e));
        }
        MountedExport.removeMountPoint(description, mountPoint);
    }
}
