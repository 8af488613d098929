package dev.ferry.drivers;

import java.util.List;
import java.util.Objects;

/**
 * What a restore writes: the whole backup, or only {@code paths} (files and folders relative to the backup root,
 * as the manifest names them), how it treats files the target already holds, and whether it removes from the
 * restored folders what the backup does not hold.
 *
 * @param paths       backup-relative paths ("docs", "docs/a.txt"); empty means the whole backup
 * @param overwrite   what happens to a file the target already holds under a restored name
 * @param deleteExtra remove, inside each restored folder (the whole target root for a whole restore), entries
 *                    the backup does not hold: a mirror, never outside those folders
 */
public record RestoreSelection(List<String> paths, Overwrite overwrite, boolean deleteExtra) {

    /** Manila's restore: everything, overwriting, removing nothing. */
    public static final RestoreSelection WHOLE = new RestoreSelection(List.of(), Overwrite.ALWAYS, false);

    public RestoreSelection {
        paths = List.copyOf(Objects.requireNonNull(paths, "paths"));
        Objects.requireNonNull(overwrite, "overwrite");
    }

    public boolean whole() {
        return paths.isEmpty();
    }

    /** The overwrite policies of a selective restore, with their wire names. */
    public enum Overwrite {
        /** Manila's behaviour: every restored file replaces what the target holds. */
        ALWAYS("always"),
        /** Files the target holds identical to the backup (size, mtime, checksum) are left as they are. */
        IF_CHANGED("if-changed"),
        /** Files the target already holds are left as they are. */
        NEVER("never");

        private final String wireName;

        Overwrite(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The policy of a wire name; null when none has it. */
        public static Overwrite fromWireName(String name) {
            for (Overwrite overwrite : values()) {
                if (overwrite.wireName.equals(name)) {
                    return overwrite;
                }
            }
            return null;
        }
    }
}
