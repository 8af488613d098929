package dev.ferry.messages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A secret kept in a file (a Kubernetes Secret mounted as a file, a systemd credential), named by a
 * {@code FERRY_*_FILE} setting. Read once at start; the line break an editor or {@code echo} leaves at the end
 * is dropped, nothing else.
 */
public final class SecretFile {
    private SecretFile() {
    }

    /** The content of the file {@code setting} names, or empty when the setting is unset or blank. */
    public static Optional<String> read(Map<String, String> env, String setting) {
        String file = env.get(setting);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(file.trim());
        try {
            return Optional.of(withoutTrailingNewline(Files.readString(path, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " names '" + path + "', which cannot be read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); give the path of a file holding only the password, readable by this process", e);
        }
    }

    static String withoutTrailingNewline(String content) {
        String value = content;
        if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.endsWith("\r")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }
}
