package dev.ferry.api.service;

import dev.ferry.api.model.Backup;

/**
 * Browse, verify and a selective restore need the backup's manifest: a backup made before Ferry wrote manifests
 * ({@link Backup#hasManifest()} false) is refused with 400, saying it can only be restored in full.
 */
public final class ManifestRequired {
    private ManifestRequired() {
    }

    /** The 400's message for {@code backupId}. */
    public static String message(String backupId) {
        return "Backup " + backupId + " has no manifest: it was made before Ferry recorded the contents of backups, "
                + "so it can only be restored in full";
    }

    /** Throws the 400 unless {@code backup} has a manifest. */
    public static void check(Backup backup) {
        if (!backup.hasManifest()) {
            throw ApiError.badRequest(message(backup.id()));
        }
    }
}
