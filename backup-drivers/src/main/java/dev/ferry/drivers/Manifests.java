package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds backups' manifests in a backup repository (see {@link Manifest#fileName}). */
public final class Manifests {

    private Manifests() {
    }

    /**
     * The manifest of backup {@code backupId} in the repository mounted at {@code repositoryRoot}; null when the
     * backup has none (it was made before Ferry wrote manifests). A manifest file that cannot be read is an error.
     */
    public static Manifest open(Path repositoryRoot, String backupId) throws IOException {
        Path file = repositoryRoot.resolve(Manifest.fileName(backupId));
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return SqliteManifest.open(file);
    }
}
