package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Backups' manifest files in a mounted repository root: where one lives, and removing one with its leftovers. */
final class ManifestFiles {

    /** Where backup {@code backupId}'s manifest lives. */
    Path file(Path repositoryRoot, String backupId) {
        return repositoryRoot.resolve(Manifest.fileName(backupId));
    }

    /**
     * Removes backup {@code backupId}'s manifest and any temporary manifest an interrupted backup left
     * ({@code <id>.manifest.tmp-*}); nothing there is fine.
     */
    void remove(Path repositoryRoot, String backupId) throws IOException {
        Path file = file(repositoryRoot, backupId);
        Files.deleteIfExists(file);
        String temporaryPrefix = file.getFileName() + ".tmp-";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(repositoryRoot,
                entry -> entry.getFileName().toString().startsWith(temporaryPrefix))) {
            for (Path leftover : entries) {
                Files.deleteIfExists(leftover);
            }
        }
    }
}
