package dev.ferry.api.model;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A row of {@code share_types} with its extra specs (key to value, as Manila stores them: strings, sorted by key).
 * A private type ({@code isPublic} false) is seen by admins and by the projects given access to it.
 */
public record ShareType(String id, String name, String description, boolean isPublic, Map<String, String> extraSpecs,
                        LocalDateTime createdAt, LocalDateTime updatedAt) {
    public ShareType {
        extraSpecs = Collections.unmodifiableMap(new TreeMap<>(extraSpecs));
    }

    /** This type with other extra specs. */
    public ShareType withExtraSpecs(Map<String, String> specs) {
        return new ShareType(id, name, description, isPublic, specs, createdAt, updatedAt);
    }
}
