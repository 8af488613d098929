package dev.ferry.drivers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountTableTest {

    @TempDir
    Path tmp;

    @Test
    void readsMountPointsDecodingEscapedSpaces() throws Exception {
        Path mounts = Files.writeString(tmp.resolve("mounts"), """
                /dev/vda / ext4 rw,relatime 0 0
                10.0.0.5:/backups /mnt/ferry/backup-b1-123 nfs4 rw,vers=4.1 0 0
                /dev/vda /mnt/ferry/with\\040space ext4 rw 0 0
                """);
        MountTable table = new MountTable(mounts);

        assertTrue(table.isMountPoint(Path.of("/mnt/ferry/backup-b1-123")));
        assertFalse(table.isMountPoint(Path.of("/mnt/ferry")));
        assertEquals(Set.of(Path.of("/mnt/ferry/backup-b1-123"), Path.of("/mnt/ferry/with space")),
                table.mountPointsUnder(Path.of("/mnt/ferry")));
    }
}
