package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Undoes what a data-node process that died (kill -9, a crash, a power cut) left under the mount root: its
 * mounts are unmounted, deepest first, with the share or backup unmount template chosen by the mount point's
 * name ({@code share-…}, {@code backup-…}; anything else with plain {@code umount}), then the empty mount
 * points and their owner files are removed. A mount point whose {@link MountOwner} still runs belongs to
 * another live node sharing the mount root and is left alone. Nothing is ever deleted recursively: a mount
 * point is removed with rmdir only.
 */
final class StaleMountCleaner {

    private static final Logger log = LoggerFactory.getLogger(StaleMountCleaner.class);
    static final String SHARE_PREFIX = "share-";
    static final String BACKUP_PREFIX = "backup-";

    private final NfsDriverConfig config;
    private final CommandRunner runner;
    private final MountTable mountTable;

    StaleMountCleaner(NfsDriverConfig config, CommandRunner runner, MountTable mountTable) {
        this.config = config;
        this.runner = runner;
        this.mountTable = mountTable;
    }

    /** Cleans the mount root; returns how many stale mounts were unmounted. */
    int cleanUp() {
        Path root = config.mountRoot() == null ? null : config.mountRoot().toAbsolutePath().normalize();
        if (root == null || !Files.isDirectory(root)) {
            return 0;
        }
        Map<Path, List<Path>> mountsByEntry;
        List<Path> entries;
        try {
            mountsByEntry = mountsByEntry(root);
            entries = entries(root, mountsByEntry);
        } catch (IOException e) {
            log.warn("Cannot look for stale mounts under {}: {}. Check them by hand (grep {} /proc/mounts)", root,
                    IoErrors.describe(e), root);
            return 0;
        }
        int unmounted = 0;
        int removed = 0;
        for (Path entry : entries) {
            Optional<MountOwner> owner = MountOwner.readFor(entry);
            if (owner.isPresent() && owner.get().isRunning()) {
                log.debug("{} belongs to running {}; leaving it", entry, owner.get());
                continue;
            }
            String leftBy = owner.map(MountOwner::toString).orElse("an unknown process");
            List<Path> mounts = mountsByEntry.getOrDefault(entry, List.of());
            int done = unmount(entry, mounts, leftBy);
            unmounted += done;
            if (done == mounts.size() && removeEntry(entry, leftBy)) {
                removed++;
            }
        }
        if (unmounted > 0 || removed > 0) {
            log.info("Cleaned up the stale mounts under {}: {} unmounted, {} mount points removed", root, unmounted,
                    removed);
        }
        return unmounted;
    }

    /** Mount points strictly below the root, grouped by the root's entry they lie in. */
    private Map<Path, List<Path>> mountsByEntry(Path root) throws IOException {
        Map<Path, List<Path>> byEntry = new TreeMap<>();
        for (Path point : mountTable.mountPointsUnder(root)) {
            if (!point.equals(root)) {
                byEntry.computeIfAbsent(root.resolve(root.relativize(point).getName(0)), e -> new ArrayList<>())
                        .add(point);
            }
        }
        return byEntry;
    }

    /**
     * Entries to look at: everything holding a mount, plus mount-point folders and owner files Ferry left
     * without a mount (a process that died between creating the folder and mounting, or after unmounting).
     */
    private static List<Path> entries(Path root, Map<Path, List<Path>> mountsByEntry) throws IOException {
        List<Path> entries = new ArrayList<>(mountsByEntry.keySet());
        try (Stream<Path> listing = Files.list(root)) {
            listing.map(path -> {
                String name = path.getFileName().toString();
                return name.endsWith(MountOwner.SUFFIX)
                        ? path.resolveSibling(name.substring(0, name.length() - MountOwner.SUFFIX.length())) : path;
            }).filter(path -> isFerryName(path.getFileName().toString()))
                    .filter(path -> !entries.contains(path))
                    .distinct()
                    .forEach(entries::add);
        }
        entries.sort(Comparator.naturalOrder());
        return entries;
    }

    private static boolean isFerryName(String name) {
        return name.startsWith(SHARE_PREFIX) || name.startsWith(BACKUP_PREFIX);
    }

    /** Unmounts the entry's mounts deepest first; returns how many were unmounted. */
    private int unmount(Path entry, List<Path> mounts, String leftBy) {
        List<Path> deepestFirst = new ArrayList<>(mounts);
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        int done = 0;
        for (Path mount : deepestFirst) {
            List<String> command = unmountCommand(entry.getFileName().toString(), mount);
            MountOptionsMask mask = MountOptionsMask.of(optionsFor(entry.getFileName().toString()));
            log.warn("Unmounting stale mount {} left by {}: `{}`", mount, leftBy, mask.apply(String.join(" ", command)));
            try {
                runner.run(command, mask);
                done++;
            } catch (CommandFailedException e) {
                log.warn("Could not unmount stale mount {}: {}. It stays mounted: unmount it by hand (umount {})",
                        mount, e.getMessage(), mount);
            }
        }
        return done;
    }

    /** The %(options)s of the mount point's kind (empty when none fits). */
    private String optionsFor(String entryName) {
        if (entryName.startsWith(SHARE_PREFIX)) {
            return config.shareMountOptions();
        }
        return entryName.startsWith(BACKUP_PREFIX) ? config.backupMountOptions() : "";
    }

    /** The unmount template for the mount point's kind; plain umount when none fits. */
    List<String> unmountCommand(String entryName, Path mount) {
        String template;
        String proto;
        String options;
        if (entryName.startsWith(SHARE_PREFIX)) {
            template = config.shareUnmountTemplate();
            proto = NfsDriverConfig.DEFAULT_PROTO;
            options = config.shareMountOptions();
        } else if (entryName.startsWith(BACKUP_PREFIX)) {
            template = config.backupUnmountTemplate();
            proto = config.backupMountProto();
            options = config.backupMountOptions();
        } else {
            return List.of("umount", mount.toString());
        }
        CommandTemplate unmount = new CommandTemplate(template);
        if (unmount.isLocal()) {
            return List.of("umount", mount.toString());
        }
        try {
            return unmount.render(Map.of(CommandTemplate.PROTO, proto, CommandTemplate.OPTIONS, options,
                    CommandTemplate.PATH, mount.toString()));
        } catch (IllegalArgumentException e) {
            // e.g. the template uses %(export)s, which is not known for a stale mount
            log.debug("Cannot render '{}' for {} ({}); using umount", template, mount, e.getMessage());
            return List.of("umount", mount.toString());
        }
    }

    /** Removes an unmounted entry's folder (rmdir) and owner file; false when the folder stays. */
    private static boolean removeEntry(Path entry, String leftBy) {
        try {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(entry);
                log.info("Removed stale mount point {} left by {}", entry, leftBy);
            }
            Files.deleteIfExists(MountOwner.fileFor(entry));
            return true;
        } catch (DirectoryNotEmptyException e) {
            log.warn("Left the stale mount point {} in place: it is not empty although nothing is mounted on it. "
                    + "Check its content and remove it by hand", entry);
        } catch (IOException e) {
            log.warn("Could not remove the stale mount point {}: {}. Remove it by hand", entry, IoErrors.describe(e));
        }
        return false;
    }
}
