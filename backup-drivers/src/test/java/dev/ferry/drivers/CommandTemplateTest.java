package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTemplateTest {

    private final CommandTemplate manila = new CommandTemplate(NfsDriverConfig.MANILA_MOUNT_TEMPLATE);

    private static Map<String, String> values(String options) {
        return Map.of("proto", "nfs", "options", options, "export", "10.0.0.5:/backups", "path", "/mnt/ferry/b-1");
    }

    @Test
    void substitutesManilasDefaultTemplateAndSplitsTheOptions() {
        assertEquals(List.of("mount", "-vt", "nfs", "-o", "vers=4", "10.0.0.5:/backups", "/mnt/ferry/b-1"),
                manila.render(values("-o vers=4")));
    }

    @Test
    void emptyOptionsVanish() {
        assertEquals(List.of("mount", "-vt", "nfs", "10.0.0.5:/backups", "/mnt/ferry/b-1"),
                manila.render(values("")));
    }

    @Test
    void substitutesTheUnmountTemplateAndPercentEscapes() {
        assertEquals(List.of("umount", "-v", "/mnt/ferry/b-1"),
                new CommandTemplate(NfsDriverConfig.MANILA_UNMOUNT_TEMPLATE).render(values("")));
        assertEquals(List.of("echo", "100%", "/mnt/ferry/b-1"),
                new CommandTemplate("echo 100%% %(path)s").render(values("")));
    }

    @Test
    void aBlankTemplateIsLocalMode() {
        assertTrue(new CommandTemplate("  ").isLocal());
        assertFalse(manila.isLocal());
    }

    @Test
    void rejectsUnknownKeysAndWhitespaceInsideAPath() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new CommandTemplate("mount %(share)s %(path)s"));
        assertTrue(unknown.getMessage().contains("%(share)s"), unknown.getMessage());

        IllegalArgumentException spaced = assertThrows(IllegalArgumentException.class, () -> manila.render(
                Map.of("proto", "nfs", "options", "", "export", "h:/x", "path", "/mnt/with space")));
        assertTrue(spaced.getMessage().contains("whitespace"), spaced.getMessage());
    }
}
