package dev.ferry.drivers;

import java.util.Collection;
import java.util.Set;

/** Base names a copy skips at any depth (Manila's backup_ignore_files). */
final class IgnoreList {

    private final Set<String> names;

    IgnoreList(Collection<String> names) {
        this.names = Set.copyOf(names);
    }

    boolean ignores(byte[] name) {
        return !names.isEmpty() && names.contains(Names.display(name));
    }
}
