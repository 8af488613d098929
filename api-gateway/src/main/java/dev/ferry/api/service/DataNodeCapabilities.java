package dev.ferry.api.service;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ServiceRepository;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.DataService;
import dev.ferry.messages.ServiceReport.RestorePair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the data nodes that are up can restore, as their reports say ({@code GET /v2/services}): a restore, or a
 * share created from a backup, that no up node's backup driver could do is refused when it arrives (400, naming
 * both protocols and what would work), rather than accepted and failed a second later. While no data node is up
 * nothing is refused here: the request is queued, and the node that claims it checks.
 */
public final class DataNodeCapabilities {
    private final Database db;
    private final ServiceRepository services;
    private final Clock clock;
    private final Duration downAfter;

    public DataNodeCapabilities(Database db, Clock clock, ServiceSettings settings) {
        this.db = db;
        this.services = new ServiceRepository(clock);
        this.clock = clock;
        this.downAfter = settings.downAfter();
    }

    /** The data nodes up now. */
    public List<DataService> up() {
        return db.read(this::up);
    }

    /** The data nodes up now, read on the caller's connection. */
    public List<DataService> up(Connection c) throws SQLException {
        LocalDateTime now = Timestamps.now(clock);
        return services.all(c).stream().filter(s -> s.up(now, downAfter)).toList();
    }

    /**
     * Passes when some up data node can restore a backup of {@code backupProtocol} into share {@code targetId} of
     * {@code targetProtocol} ({@code targeted}: the target is not the backup's own share {@code backupShareId}), or
     * when no data node is up or the backup's protocol is unknown (its share is gone); else 400.
     */
    public void requireRestorable(String backupProtocol, String targetProtocol, boolean targeted, String backupShareId) {
        if (backupProtocol == null || targetProtocol == null) {
            return;
        }
        requireRestorable(up(), backupProtocol, targetProtocol, targeted, backupShareId);
    }

    /** As above, judged by the data nodes {@code up} (read by the caller, with the backup and the target). */
    public void requireRestorable(List<DataService> up, String backupProtocol, String targetProtocol, boolean targeted,
                                  String backupShareId) {
        if (backupProtocol == null || targetProtocol == null || up.isEmpty()) {
            return;
        }
        List<DataService> able = targeted ? up.stream().filter(DataService::restoreToTarget).toList() : up;
        String backup = backupProtocol.toUpperCase(Locale.ROOT);
        String target = targetProtocol.toUpperCase(Locale.ROOT);
        if (able.isEmpty()) {
            throw ApiError.badRequest("No data node can restore " + article(backup) + " " + backup + " backup into "
                    + article(target) + " " + target + " share other than the backup's own share: the up data nodes' backup drivers do not support "
                    + "restore to a target share (Manila's restore_to_target_support). Restore the backup into its "
                    + "own share " + backupShareId + ", or start a data node whose driver allows restores to a target "
                    + "(FERRY_BACKUP_RESTORE_TO_TARGET=true).");
        }
        if (able.stream().anyMatch(s -> s.restores(backup, target))) {
            return;
        }
        List<RestorePair> pairs = able.stream().flatMap(s -> s.restorePairs().stream()).distinct().toList();
        List<String> targets = pairs.stream().filter(p -> p.backup().equals(backup)).map(RestorePair::target)
                .distinct().toList();
        String instead = targets.isEmpty()
                ? "No up data node restores " + backup + " backups; start a data node whose backup driver does."
                : "Restore into " + article(targets.get(0)) + " " + String.join(" or ", targets) + " share.";
        throw ApiError.badRequest("No data node can restore " + article(backup) + " " + backup + " backup into "
                + article(target) + " " + target + " share: the up data nodes restore "
                + (pairs.isEmpty() ? "nothing" : pairs.stream().map(RestorePair::toString)
                .collect(Collectors.joining(", ")) + " only") + ". " + instead);
    }

    /** "an" before a protocol name said with a vowel sound first (NFS, HDFS), else "a" (CIFS, CEPHFS, MAPRFS). */
    private static String article(String protocol) {
        return protocol.isEmpty() || "AEIOUNH".indexOf(protocol.charAt(0)) < 0 ? "a" : "an";
    }
}
