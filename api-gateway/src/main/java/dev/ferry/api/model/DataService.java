package dev.ferry.api.model;

import dev.ferry.messages.ServiceReport.RestorePair;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A row of {@code services}: a data node as Manila's {@code manila-data} service, with what its backup driver
 * can restore as its last report said. {@code stopped}: its last report said it stops.
 */
public record DataService(long id, String host, String binary, boolean restoreToTarget, List<RestorePair> restorePairs,
                          boolean stopped, LocalDateTime createdAt, LocalDateTime updatedAt) {

    public DataService {
        restorePairs = List.copyOf(restorePairs);
    }

    /** Up: it did not say it stops, and its last report is at most {@code downAfter} old at {@code now}. */
    public boolean up(LocalDateTime now, Duration downAfter) {
        return !stopped && !updatedAt.plus(downAfter).isBefore(now);
    }

    /** Whether it restores a backup of {@code backupProtocol} into a share of {@code targetProtocol}. */
    public boolean restores(String backupProtocol, String targetProtocol) {
        return restorePairs.stream().anyMatch(p -> p.matches(backupProtocol, targetProtocol));
    }
}
