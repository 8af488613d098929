package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ServiceRepository;
import dev.ferry.api.db.UserMessageRepository;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.DataService;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.DataNodeCapabilities;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.TestClock;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.ServiceReport;
import dev.ferry.messages.ServiceReport.RestorePair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Data nodes' reports, what they make the API refuse, and the notice for jobs that wait while none is up. */
class DataNodeServicesTest extends OnBothDatabases {
    private static final ServiceSettings SETTINGS = new ServiceSettings(Duration.ofSeconds(60), Duration.ofSeconds(120));
    private static final List<RestorePair> NFS_ONLY = List.of(new RestorePair("NFS", "NFS"));

    private record World(Fixtures f, TestClock clock, ServiceRegistry registry, DataNodeCapabilities nodes) {
        List<DataService> services() {
            return f.repos().database().read(new ServiceRepository(clock)::all);
        }
    }

    private World world(Engine engine) {
        Database db = dbs.fresh(engine);
        TestClock clock = new TestClock();
        return new World(new Fixtures(db, clock), clock, new ServiceRegistry(db, clock, SETTINGS),
                new DataNodeCapabilities(db, clock, SETTINGS));
    }

    private static ServiceReport report(String host, ServiceReport.State state, boolean toTarget,
                                        List<RestorePair> pairs) {
        return new ServiceReport(host, state, toTarget, pairs);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aNodeIsUpWhileItReportsDownWhenItStopsOrFallsSilent(Engine engine) {
        World w = world(engine);
        assertEquals(10_000, ServiceReport.intervalFromReply(
                w.registry().report(report("node-a", ServiceReport.State.UP, true, NFS_ONLY)), null).toMillis(),
                "60 s down time: a report every 10 s");
        w.registry().report(report("node-b", ServiceReport.State.UP, false, NFS_ONLY));
        w.registry().report(report("node-a", ServiceReport.State.UP, true, NFS_ONLY));
        assertEquals(2, w.services().size(), "one row per host");
        assertEquals(2, w.nodes().up().size());

        w.registry().report(report("node-b", ServiceReport.State.STOPPING, false, NFS_ONLY));
        assertEquals(List.of("node-a"), w.nodes().up().stream().map(DataService::host).toList(), "stopped: down at once");

        w.clock().advance(Duration.ofSeconds(61));
        assertTrue(w.nodes().up().isEmpty(), "silent for longer than the down time");
        w.registry().report(report("node-b", ServiceReport.State.UP, false, NFS_ONLY));
        assertEquals(List.of("node-b"), w.nodes().up().stream().map(DataService::host).toList(), "back after a restart");
        DataService b = w.services().stream().filter(s -> s.host().equals("node-b")).findFirst().orElseThrow();
        assertEquals("manila-data", b.binary());
        assertEquals(NFS_ONLY, b.restorePairs());
        assertFalse(b.restoreToTarget());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void inventedNamesCannotGrowTheTableWithoutBound(Engine engine) {
        World w = world(engine);
        for (int i = 0; i < ServiceRegistry.MOST_SERVICES + 5; i++) {
            w.registry().report(report("node-" + i, ServiceReport.State.UP, true, NFS_ONLY));
        }
        assertEquals(ServiceRegistry.MOST_SERVICES, w.services().size());
        w.registry().report(report("node-0", ServiceReport.State.STOPPING, true, NFS_ONLY));
        assertTrue(w.services().stream().filter(s -> s.host().equals("node-0")).findFirst().orElseThrow().stopped(),
                "known nodes still report");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void restoresNoUpNodeCanDoAreRefusedNamingBothProtocolsAndWhatWouldWork(Engine engine) {
        World w = world(engine);
        assertDoesNotThrow(() -> w.nodes().requireRestorable("NFS", "CIFS", true, "s1"), "no node up: queued as before");

        w.registry().report(report("node-a", ServiceReport.State.UP, false, NFS_ONLY));
        ApiError pair = assertThrows(ApiError.class, () -> w.nodes().requireRestorable("NFS", "CIFS", false, "s1"));
        assertEquals(400, pair.status());
        assertEquals("No data node can restore an NFS backup into a CIFS share: the up data nodes restore NFS→NFS "
                + "only. Restore into an NFS share.", pair.getMessage());
        ApiError targeted = assertThrows(ApiError.class, () -> w.nodes().requireRestorable("NFS", "NFS", true, "s1"));
        assertEquals("No data node can restore an NFS backup into an NFS share other than the backup's own share: "
                + "the up data nodes' backup drivers do not support restore to a target share (Manila's "
                + "restore_to_target_support). Restore the backup into its own share s1, or start a data node whose "
                + "driver allows restores to a target (FERRY_BACKUP_RESTORE_TO_TARGET=true).", targeted.getMessage());
        assertDoesNotThrow(() -> w.nodes().requireRestorable("NFS", "NFS", false, "s1"), "what the node can do");
        assertDoesNotThrow(() -> w.nodes().requireRestorable(null, "NFS", true, "s1"), "the backup's share is gone");

        w.registry().report(report("node-b", ServiceReport.State.UP, true, List.of(new RestorePair("CIFS", "CIFS"))));
        assertDoesNotThrow(() -> w.nodes().requireRestorable("CIFS", "CIFS", true, "s1"));
        ApiError none = assertThrows(ApiError.class, () -> w.nodes().requireRestorable("NFS", "CIFS", true, "s1"));
        assertEquals("No data node can restore an NFS backup into a CIFS share: the up data nodes restore CIFS→CIFS "
                + "only. No up data node restores NFS backups; start a data node whose backup driver does.",
                none.getMessage(), "only node-b restores to a target");

        w.registry().report(report("node-b", ServiceReport.State.STOPPING, true, List.of(new RestorePair("NFS", "CIFS"))));
        assertThrows(ApiError.class, () -> w.nodes().requireRestorable("NFS", "CIFS", false, "s1"),
                "a stopped node's capabilities do not count");
        w.clock().advance(Duration.ofSeconds(61));
        assertDoesNotThrow(() -> w.nodes().requireRestorable("NFS", "CIFS", false, "s1"), "all down: queued");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aJobQueuedTooLongWithoutAnUpNodeGetsOneUserMessage(Engine engine) {
        World w = world(engine);
        Fixtures f = w.f();
        Share source = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share target = f.share("p2", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(source, 10, BackupStatus.RESTORING);
        f.job(JobKind.RESTORE, backup, target, JobStatus.QUEUED, 0, null);
        Share creating = f.share("p1", 10, ShareStatus.BACKUP_CREATING);
        Backup newBackup = f.backup(creating, 10, BackupStatus.CREATING);
        f.job(JobKind.CREATE_BACKUP, newBackup, creating, JobStatus.QUEUED, 0, null);
        NoDataNodeNotice notice = new NoDataNodeNotice(f.repos(), w.nodes(), SETTINGS, Duration.ofDays(30));

        w.clock().advance(Duration.ofSeconds(119));
        assertEquals(0, notice.checkOnce(), "not queued long enough");
        w.clock().advance(Duration.ofSeconds(2));
        w.registry().report(report("node-a", ServiceReport.State.UP, true, NFS_ONLY));
        assertEquals(0, notice.checkOnce(), "a node is up: it will take the job");
        w.registry().report(report("node-a", ServiceReport.State.STOPPING, true, NFS_ONLY));
        assertEquals(2, notice.checkOnce());
        assertEquals(0, notice.checkOnce(), "once per job");

        List<UserMessage> messages = f.repos().database().read(c -> f.repos().messages().list(c,
                new UserMessageRepository.Filter(null, null, null, null, null, null, null)));
        assertEquals(2, messages.size());
        UserMessage onShare = messages.stream().filter(m -> m.resourceType().equals("SHARE")).findFirst().orElseThrow();
        assertEquals(target.id(), onShare.resourceId(), "a restore's notice is on its target share");
        assertEquals("p2", onShare.projectId());
        assertEquals("028", onShare.actionId());
        assertEquals("909", onShare.detailId());
        UserMessage onBackup = messages.stream().filter(m -> m.resourceType().equals("SHARE_BACKUP")).findFirst()
                .orElseThrow();
        assertEquals(newBackup.id(), onBackup.resourceId(), "a backup creation's notice is on the backup");
        assertEquals("900", onBackup.actionId());
    }
}
