package dev.ferry.drivers;

import java.util.Objects;

/**
 * Where a share lives: its id, its protocol (e.g. {@code NFS}) and the export path as registered
 * ({@code host:/path} for NFS, or a local folder in local mode).
 */
public record ShareLocation(String shareId, String protocol, String exportPath) {
    public ShareLocation {
        Objects.requireNonNull(shareId, "shareId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(exportPath, "exportPath");
    }
}
