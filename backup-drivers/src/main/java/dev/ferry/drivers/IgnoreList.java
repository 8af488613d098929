package dev.ferry.drivers;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/** Base names a copy skips at any depth (Manila's backup_ignore_files). */
final class IgnoreList {

    private final Set<String> names;

    IgnoreList(Collection<String> names) {
        this.names = Set.copyOf(names);
    }

    boolean ignores(Path path) {
        Path name = path.getFileName();
        return name != null && names.contains(name.toString());
    }
}
