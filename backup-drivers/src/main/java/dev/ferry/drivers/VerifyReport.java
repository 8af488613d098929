package dev.ferry.drivers;

import java.util.List;

/**
 * What checking a backup's repository copy against its manifest found.
 *
 * @param filesChecked  regular files of the manifest read
 * @param bytesChecked  their bytes
 * @param damagedFiles  files missing from the repository or whose content does not match the manifest
 * @param firstDamaged  the backup-relative paths of the first damaged files (at most ten), in manifest order
 */
public record VerifyReport(long filesChecked, long bytesChecked, long damagedFiles, List<String> firstDamaged) {
    public VerifyReport {
        firstDamaged = List.copyOf(firstDamaged);
    }

    public boolean sound() {
        return damagedFiles == 0;
    }
}
