package dev.ferry.drivers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tidies a restore's target folders: removes the temporary files an earlier, interrupted attempt left there, and
 * with {@code delete_extra} every entry the backup does not hold (names on the ignore list stay).
 */
final class TargetTidier {

    private static final Logger log = LoggerFactory.getLogger(TargetTidier.class);

    private final Manifest manifest;
    private final IgnoreList ignore;
    private final boolean deleteExtra;
    private final StopSignal stop;
    private final Cancellation cancellation;
    /** The restore's flag for "something in the target was changed", set on each deletion. */
    private final AtomicBoolean touched;
    private final TreeDeleter deleter = new TreeDeleter();

    TargetTidier(Manifest manifest, IgnoreList ignore, boolean deleteExtra, StopSignal stop,
                 Cancellation cancellation, AtomicBoolean touched) {
        this.manifest = manifest;
        this.ignore = ignore;
        this.deleteExtra = deleteExtra;
        this.stop = stop;
        this.cancellation = cancellation;
        this.touched = touched;
    }

    /**
     * Removes from a folder being restored what an earlier attempt left, and with {@code delete_extra} every entry
     * the backup does not hold there (or holds as another kind: a directory against a file). Releases the folder.
     */
    void tidy(RestoreFolders.Folder folder) throws IOException {
        try {
            DirEntries entries = folder.target.entries();
            for (DirEntries.Entry listed = entries.next(); listed != null; listed = entries.next()) {
                stop.check();
                byte[] name = listed.name();
                boolean temporary = TemporaryNames.isTemporary(name);
                if (!temporary && (!deleteExtra || ignore.ignores(name))) {
                    continue;
                }
                ManifestEntry held = manifest.find(ManifestPaths.join(folder.path, name));
                if (held != null && !(deleteExtra && kindDiffers(folder.target, listed, held))) {
                    continue;
                }
                stop.progressed("deleting '" + folder.target.pathOf(name) + "'");
                if (temporary && held == null) {
                    log.info("Removing '{}', left in the target by an earlier attempt", folder.target.pathOf(name));
                } else {
                    log.info("Deleting '{}' from the target: the backup does not hold it", folder.target.pathOf(name));
                }
                deleter.deleteIfExists(folder.target, name, cancellation);
                touched.set(true);
            }
        } finally {
            folder.release();
        }
    }

    /** Removes the temporaries an earlier attempt left for one selected file. */
    void removeLeftoversOf(RestoreFolders folders, byte[] path) throws IOException {
        byte[] name = ManifestPaths.nameOf(path);
        RestoreFolders.Folder folder = folders.get(ManifestPaths.parentOf(path));
        try {
            DirEntries entries = folder.target.entries();
            for (DirEntries.Entry listed = entries.next(); listed != null; listed = entries.next()) {
                if (TemporaryNames.isTemporaryFor(listed.name(), name)) {
                    log.info("Removing '{}', left in the target by an earlier attempt",
                            folder.target.pathOf(listed.name()));
                    TemporaryFiles.removeQuietly(folder.target, listed.name());
                }
            }
        } finally {
            folder.release();
        }
    }

    private static boolean kindDiffers(DirHandle directory, DirEntries.Entry listed, ManifestEntry held)
            throws IOException {
        int type = listed.type();
        if (type == DirEntries.DT_UNKNOWN) {
            Stat stat = directory.statEntryIfExists(listed.name());
            if (stat == null) {
                return false;
            }
            type = stat.listingType();
        }
        return (type == DirEntries.DT_DIR) != ManifestEntry.DIRECTORY.equals(held.type());
    }
}
