package dev.ferry.api.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.OutboxMessage;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.model.UserMessage;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.OnBothDatabases;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.messages.JobKind;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RepositoryTest extends OnBothDatabases {

    private static boolean inTx(Repositories r, SqlWork<Boolean> work) {
        return r.database().inTransaction(work);
    }

    private static boolean readTx(Repositories r, SqlWork<Boolean> work) {
        return r.database().read(work);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void sharesRoundTripAndListByProjectAndPublic(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Share own = f.share("p1", 10, ShareStatus.AVAILABLE);
        Share publicOther = f.share("p2", 5, ShareStatus.AVAILABLE, "NFS", true);
        f.share("p2", 5, ShareStatus.AVAILABLE);
        assertEquals(own, f.share(own.id()));
        Repositories r = f.repos();
        List<Share> mine = r.database().read(c -> r.shares().list(c, new ShareRepository.Filter("p1", false, null,
                null, null)));
        assertEquals(List.of(own.id()), mine.stream().map(Share::id).toList());
        List<Share> withPublic = r.database().read(c -> r.shares().list(c, new ShareRepository.Filter("p1", true,
                null, null, null)));
        assertEquals(2, withPublic.size());
        assertTrue(withPublic.stream().anyMatch(s -> s.id().equals(publicOther.id())));
        assertEquals(3, r.database().read(c -> r.shares().list(c, ShareRepository.Filter.all())).size());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void statusChangesNameTheStatusTheyExpect(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories r = f.repos();
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        assertTrue(inTx(r, c -> r.shares().changeStatus(c, share.id(), ShareStatus.AVAILABLE,
                ShareStatus.BACKUP_CREATING)));
        assertFalse(inTx(r, c -> r.shares().changeStatus(c, share.id(), ShareStatus.AVAILABLE,
                ShareStatus.BACKUP_CREATING)), "the share is no longer available");
        assertEquals(ShareStatus.BACKUP_CREATING, f.share(share.id()).status());
        assertThrows(IllegalStateException.class, () -> r.database().inTransaction(c -> r.shares().changeStatus(c,
                share.id(), ShareStatus.BACKUP_CREATING, ShareStatus.BACKUP_RESTORING)));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void restoreResetsProgressAndRecordsTheSourceBackup(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories r = f.repos();
        Share share = f.share("p1", 10, ShareStatus.AVAILABLE);
        Backup backup = f.backup(share, 10, BackupStatus.AVAILABLE);
        r.database().inTransaction(c -> r.backups().finishRestore(c, backup.id())); // not restoring: no change
        assertEquals("0", f.backup(backup.id()).restoreProgress());
        assertTrue(inTx(r, c -> r.backups().startRestore(c, backup.id())));
        assertTrue(inTx(r, c -> r.shares().startRestore(c, share.id(), backup.id())));
        assertEquals(BackupStatus.RESTORING, f.backup(backup.id()).status());
        assertEquals(backup.id(), f.share(share.id()).sourceBackupId());
        assertEquals(ShareStatus.BACKUP_RESTORING, f.share(share.id()).status());
        assertTrue(inTx(r, c -> r.backups().setProgress(c, backup.id(), BackupStatus.RESTORING,
                BackupRepository.ProgressField.RESTORE_PROGRESS, "0", "40")));
        assertFalse(inTx(r, c -> r.backups().setProgress(c, backup.id(), BackupStatus.RESTORING,
                BackupRepository.ProgressField.RESTORE_PROGRESS, "0", "30")), "compare-and-set on the old value");
        assertTrue(inTx(r, c -> r.backups().finishRestore(c, backup.id())));
        Backup done = f.backup(backup.id());
        assertEquals(BackupStatus.AVAILABLE, done.status());
        assertEquals("100", done.restoreProgress());
        assertTrue(inTx(r, c -> r.backups().startRestore(c, backup.id())));
        assertEquals("0", f.backup(backup.id()).restoreProgress(), "each restore starts at 0");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aClaimBumpsTheEpochOnce(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories r = f.repos();
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        assertEquals(job.id(), r.database().read(c -> r.jobs().oldestQueued(c, JobKind.RESTORE, backup.id(),
                share.id())).orElseThrow().id());
        LocalDateTime lease = Timestamps.now(r.clock()).plusSeconds(30);
        assertTrue(inTx(r, c -> r.jobs().claim(c, job.id(), "node-a", lease)));
        assertFalse(inTx(r, c -> r.jobs().claim(c, job.id(), "node-b", lease)));
        Job claimed = f.job(job.id());
        assertEquals(JobStatus.RUNNING, claimed.status());
        assertEquals(1, claimed.epoch());
        assertEquals("node-a", claimed.node());
        assertEquals(lease, claimed.leaseExpiresAt());
        assertFalse(inTx(r, c -> r.jobs().finish(c, job.id(), 0, JobStatus.SUCCEEDED, null, null)),
                "a stale epoch cannot finish the job");
        assertTrue(inTx(r, c -> r.jobs().finish(c, job.id(), 1, JobStatus.FAILED, "904", "copy")));
        assertEquals("904", f.job(job.id()).detailId());
        assertNull(f.job(job.id()).leaseExpiresAt(), "a finished job holds no lease");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void outboxKeepsBytesAndOrder(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories r = f.repos();
        byte[] first = "{\"oslo.version\": \"2.0\", \"oslo.message\": \"1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] second = new byte[] {0, 1, 2, (byte) 0xff};
        long a = r.database().inTransaction(c -> r.outbox().add(c, "openstack", "manila-data", first, "req-1"));
        long b = r.database().inTransaction(c -> r.outbox().add(c, "openstack", "manila-data.host", second, "req-2"));
        assertTrue(b > a);
        List<OutboxMessage> unsent = r.database().read(c -> r.outbox().unsent(c, 10));
        assertEquals(List.of(a, b), unsent.stream().map(OutboxMessage::id).toList());
        assertArrayEquals(first, unsent.get(0).body());
        assertArrayEquals(second, unsent.get(1).body());
        assertEquals("manila-data.host", unsent.get(1).routingKey());
        assertTrue(readTx(r, c -> r.outbox().markSent(c, a)));
        assertFalse(readTx(r, c -> r.outbox().markSent(c, a)));
        assertEquals(List.of(b), r.database().read(c -> r.outbox().unsent(c, 10)).stream().map(OutboxMessage::id)
                .toList());
        assertNotNull(r.database().read(c -> r.outbox().forRequest(c, "req-1")).get(0).sentAt());
        assertNull(r.database().read(c -> r.outbox().forRequest(c, "req-2")).get(0).sentAt());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void userMessagesFilterByProjectAndResource(Engine engine) {
        Fixtures f = new Fixtures(dbs.fresh(engine));
        Repositories r = f.repos();
        LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.MICROS);
        UserMessage m1 = new UserMessage("m1", "p1", "req-1", "SHARE", "s1", "028", "032", "ERROR", now,
                now.plusDays(30));
        UserMessage m2 = new UserMessage("m2", "p2", "req-2", "SHARE", "s2", "028", "904", "ERROR", now,
                now.plusDays(30));
        r.database().inTransaction(c -> {
            r.messages().insert(c, m1);
            r.messages().insert(c, m2);
            return null;
        });
        assertEquals(m1, r.database().read(c -> r.messages().find(c, "m1")).orElseThrow());
        assertEquals(List.of(m2), r.database().read(c -> r.messages().list(c, new UserMessageRepository.Filter("p2",
                null, null, null, null, null, null))));
        assertEquals(List.of(m1), r.database().read(c -> r.messages().list(c, new UserMessageRepository.Filter(null,
                "s1", null, null, null, null, null))));
        assertEquals(2, r.database().read(c -> r.messages().list(c, UserMessageRepository.Filter.all())).size());
    }
}
