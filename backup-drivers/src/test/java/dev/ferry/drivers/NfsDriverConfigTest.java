package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NfsDriverConfigTest {

    @Test
    void defaultsAreManilas() {
        NfsDriverConfig config = NfsDriverConfig.defaults("10.0.0.5:/backups", Path.of("/var/lib/ferry/mnt"));

        assertEquals("mount -vt %(proto)s %(options)s %(export)s %(path)s", config.backupMountTemplate());
        assertEquals("umount -v %(path)s", config.backupUnmountTemplate());
        assertEquals(config.backupMountTemplate(), config.shareMountTemplate());
        assertEquals(config.backupUnmountTemplate(), config.shareUnmountTemplate());
        assertEquals("nfs", config.backupMountProto());
        assertEquals("-o nosuid,nodev,nosymfollow", config.backupMountOptions());
        assertEquals("-o nosuid,nodev,nosymfollow", config.shareMountOptions());
        assertEquals(List.of("lost+found"), config.ignoreFiles());
        assertEquals(4, config.copyThreads());
        assertTrue(config.restoreToTarget());
        assertFalse(config.verifyChecksums());
        assertFalse(config.backupRepositoryIsLocal());
    }

    @Test
    void localModeNeedsNoMountRoot() {
        NfsDriverConfig config = NfsDriverConfig.local(Path.of("/srv/backups"));

        assertTrue(config.backupRepositoryIsLocal());
        assertTrue(config.sharesAreLocal());
    }

    @Test
    void refusesConfigurationsThatWouldMountWithoutUnmountingOrWithoutAMountRoot() {
        NfsDriverConfig defaults = NfsDriverConfig.defaults("h:/b", Path.of("/mnt/ferry"));

        IllegalArgumentException noUnmount = assertThrows(IllegalArgumentException.class,
                () -> defaults.withShareMount("mount --bind %(export)s %(path)s", "", ""));
        assertTrue(noUnmount.getMessage().contains("unmount template is empty"), noUnmount.getMessage());
        IllegalArgumentException noRoot = assertThrows(IllegalArgumentException.class,
                () -> defaults.withMountRoot(null));
        assertTrue(noRoot.getMessage().contains("mountRoot is required"), noRoot.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NfsDriverConfig.defaults(" ", Path.of("/mnt")));
        assertThrows(IllegalArgumentException.class, () -> defaults.withCopy(List.of(), 0, false));
    }
}
