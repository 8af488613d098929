package dev.ferry.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Ferry's settings: {@code FERRY_*} environment variables over a properties file
 * ({@code FERRY_CONFIG}, else {@code ./ferry.properties} when it exists) with the same keys.
 */
public final class Settings {
    private Settings() {
    }

    public static Map<String, String> load(Map<String, String> environment) throws IOException {
        Map<String, String> settings = new HashMap<>();
        String configured = environment.get("FERRY_CONFIG");
        Path file = Path.of(configured == null || configured.isBlank() ? "ferry.properties" : configured);
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key).trim()));
        } else if (configured != null && !configured.isBlank()) {
            throw new IOException("FERRY_CONFIG names " + file.toAbsolutePath() + ", which is not a readable file");
        }
        settings.putAll(environment);
        return settings;
    }
}
