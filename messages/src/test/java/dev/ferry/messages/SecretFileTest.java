package dev.ferry.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {
    @TempDir
    Path dir;

    @Test
    void readsThePasswordWithoutTheLineBreakAtTheEnd() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), " s3cret pass \n");
        Path crlf = Files.writeString(dir.resolve("crlf"), "p@ss:w/rd\r\n");

        assertEquals(Optional.of(" s3cret pass "), SecretFile.read(Map.of("X_FILE", file.toString()), "X_FILE"));
        assertEquals(Optional.of("p@ss:w/rd"), SecretFile.read(Map.of("X_FILE", crlf.toString()), "X_FILE"));
        assertEquals(Optional.empty(), SecretFile.read(Map.of(), "X_FILE"));
    }

    @Test
    void anUnreadableFileNamesTheSettingAndThePath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecretFile.read(Map.of("FERRY_DB_PASSWORD_FILE", dir.resolve("absent").toString()),
                        "FERRY_DB_PASSWORD_FILE"));

        assertTrue(e.getMessage().startsWith("FERRY_DB_PASSWORD_FILE names '" + dir.resolve("absent") + "'"),
                e.getMessage());
    }
}
