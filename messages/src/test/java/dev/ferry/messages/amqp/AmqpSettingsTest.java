package dev.ferry.messages.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmqpSettingsTest {
    @TempDir
    Path dir;

    @Test
    void thePasswordFileReplacesThePasswordOfTheUriAndIsNeverShown() throws Exception {
        Path password = Files.writeString(dir.resolve("amqp-password"), "from-the-file\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "");

        AmqpSettings settings = AmqpSettings.fromEnv(Map.of("FERRY_AMQP_URI", "amqps://ferry-data@rabbit.example/ferry",
                "FERRY_AMQP_PASSWORD_FILE", password.toString(), "FERRY_AMQP_CA_FILE", ca.toString()));

        assertEquals("from-the-file", settings.password());
        assertEquals(ca, settings.caFile());
        assertTrue(settings.tls());
        assertFalse(settings.toString().contains("from-the-file"), settings.toString());
    }

    @Test
    void withoutFilesThePasswordComesFromTheUri() {
        AmqpSettings settings = AmqpSettings.fromEnv(Map.of("FERRY_AMQP_URI", "amqp://u:inline@127.0.0.1/%2F"));

        assertNull(settings.password());
        assertNull(settings.caFile());
        assertFalse(settings.tls());
        assertEquals("amqp://u:***@127.0.0.1/%2F", settings.redactedUri());
        assertFalse(settings.toString().contains("inline"), settings.toString());
    }

    @Test
    void aCaFileForAPlainConnectionIsAMistakeThatSaysWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AmqpSettings.fromEnv(
                Map.of("FERRY_AMQP_URI", "amqp://u:p@rabbit.example/", "FERRY_AMQP_CA_FILE", "/etc/ferry/ca.pem")));

        assertTrue(e.getMessage().contains("not amqps://") && e.getMessage().contains("u:***@"), e.getMessage());
    }
}
