package dev.ferry.data;

import dev.ferry.drivers.BackupDriver;
import dev.ferry.messages.ServiceReport.RestorePair;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node's backup driver can restore, as its heartbeat tells the api-gateway: restore into a share other
 * than the backup's own, and the protocol pairs among Manila's share protocols that
 * {@link BackupDriver#supportsRestore} accepts.
 */
record DriverCapabilities(boolean restoreToTarget, List<RestorePair> restorePairs) {
    /** Manila's share protocols (share_proto). */
    static final List<String> PROTOCOLS = List.of("NFS", "CIFS", "GLUSTERFS", "HDFS", "CEPHFS", "MAPRFS");

    DriverCapabilities {
        restorePairs = List.copyOf(restorePairs);
    }

    static DriverCapabilities of(BackupDriver driver) {
        List<RestorePair> pairs = new ArrayList<>();
        for (String backup : PROTOCOLS) {
            for (String target : PROTOCOLS) {
                if (driver.supportsRestore(backup, target)) {
                    pairs.add(new RestorePair(backup, target));
                }
            }
        }
        return new DriverCapabilities(driver.supportRestoreToTarget(), pairs);
    }
}
