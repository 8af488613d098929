package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataNodeConfigTest {
    private static final Map<String, String> MINIMAL = Map.of("FERRY_BACKUP_EXPORT", "/srv/backups");

    @Test
    void defaults() {
        DataNodeConfig config = DataNodeConfig.fromEnv(MINIMAL);

        assertEquals(5, config.maxDeliveries());
        assertEquals(0, config.driver().copyMaxBytesPerSecond());
        assertEquals(0, config.driver().copyOptions().maxBytesPerSecond());
        assertEquals(Duration.ofSeconds(60), config.drainTimeout());
        assertEquals(Duration.ofSeconds(300), config.jobStall());
        assertEquals("-o nosuid,nodev,nosymfollow", config.driver().shareMountOptions());
        assertEquals("-o nosuid,nodev,nosymfollow", config.driver().backupMountOptions());
    }

    @Test
    void anOperatorMayOverrideTheMountOptions() {
        DataNodeConfig config = DataNodeConfig.fromEnv(Map.of("FERRY_BACKUP_EXPORT", "/srv/backups",
                "FERRY_SHARE_MOUNT_OPTIONS", "-o vers=4.1,nosuid,nodev", "FERRY_BACKUP_MOUNT_OPTIONS", ""));

        assertEquals("-o vers=4.1,nosuid,nodev", config.driver().shareMountOptions());
        assertEquals("", config.driver().backupMountOptions());
    }

    @Test
    void readsTheStallTime() {
        DataNodeConfig config = DataNodeConfig.fromEnv(Map.of("FERRY_BACKUP_EXPORT", "/srv/backups",
                "FERRY_JOB_STALL_SECONDS", "900"));

        assertEquals(Duration.ofMinutes(15), config.jobStall());
    }

    @Test
    void readsTheDeliveryLimitAndTheCopyRate() {
        DataNodeConfig config = DataNodeConfig.fromEnv(Map.of("FERRY_BACKUP_EXPORT", "/srv/backups",
                "FERRY_MAX_DELIVERIES", "3", "FERRY_COPY_MAX_BYTES_PER_SECOND", "16777216"));

        assertEquals(3, config.maxDeliveries());
        assertEquals(16_777_216L, config.driver().copyOptions().maxBytesPerSecond());
    }

    @Test
    void refusesValuesThatMakeNoSense() {
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class, () -> DataNodeConfig.fromEnv(
                Map.of("FERRY_BACKUP_EXPORT", "/b", "FERRY_COPY_MAX_BYTES_PER_SECOND", "-1")));
        IllegalArgumentException deliveries = assertThrows(IllegalArgumentException.class, () -> DataNodeConfig.fromEnv(
                Map.of("FERRY_BACKUP_EXPORT", "/b", "FERRY_MAX_DELIVERIES", "0")));
        IllegalArgumentException stall = assertThrows(IllegalArgumentException.class, () -> DataNodeConfig.fromEnv(
                Map.of("FERRY_BACKUP_EXPORT", "/b", "FERRY_JOB_STALL_SECONDS", "0")));

        assertTrue(rate.getMessage().startsWith("FERRY_COPY_MAX_BYTES_PER_SECOND is '-1'"), rate.getMessage());
        assertTrue(deliveries.getMessage().startsWith("FERRY_MAX_DELIVERIES is '0'"), deliveries.getMessage());
        assertEquals("FERRY_JOB_STALL_SECONDS is '0'; use a whole number above 0", stall.getMessage());
    }
}
