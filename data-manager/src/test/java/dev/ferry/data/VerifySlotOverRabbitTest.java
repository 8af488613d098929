package dev.ferry.data;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BackupRequest;
import dev.ferry.drivers.Cancellation;
import dev.ferry.drivers.CopyProgress;
import dev.ferry.drivers.CopyReport;
import dev.ferry.drivers.NfsDriverConfig;
import dev.ferry.drivers.ProgressListener;
import dev.ferry.drivers.RestoreRequest;
import dev.ferry.drivers.SubdirShares;
import dev.ferry.drivers.VerifyReport;
import dev.ferry.messages.BackupRow;
import dev.ferry.messages.DataRpc;
import dev.ferry.messages.Json;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.ShareInfo;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.AmqpConnector;
import dev.ferry.messages.amqp.ConfirmPublisher;
import dev.ferry.messages.amqp.RpcServer;
import dev.ferry.messages.amqp.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data node against the real RabbitMQ, with an api-gateway played by the test (it grants every claim and records
 * the node's transitions): while every job slot is busy with a restore that does not end, a {@code verify_backup}
 * cast on {@code ferry-data-verify} is still claimed, run and reported by the node's verification slot; and a drain
 * stops that slot too.
 */
class VerifySlotOverRabbitTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final BackupRow BACKUP = new BackupRow("b1", "alice", "p1", "s1", 1, null, DataRpc.TOPIC, null,
            null, null, null, "available", null, null, null, null, null);
    private final CountDownLatch restoresMayEnd = new CountDownLatch(1);
    private final CountDownLatch restoresStarted = new CountDownLatch(2);
    private final List<StatusRpc.Transition> transitions = new CopyOnWriteArrayList<>();
    private final List<String> claimed = new CopyOnWriteArrayList<>();
    private BrokerVhost vhost;
    private Connection gateway;
    private RpcServer state;
    private RpcServer status;
    private ConfirmPublisher casts;
    private DataNode node;

    /** Restores block until the test lets them end; a verification finds the backup sound. */
    private final BackupDriver driver = new BackupDriver() {
        @Override
        public boolean useDataManager() {
            return true;
        }

        @Override
        public boolean supportRestoreToTarget() {
            return true;
        }

        @Override
        public boolean supportsRestore(String backupProtocol, String targetProtocol) {
            return true;
        }

        @Override
        public boolean supportsBackup(String shareProtocol) {
            return true;
        }

        @Override
        public CopyReport backup(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CopyReport restore(RestoreRequest request, ProgressListener progress, Cancellation cancellation) {
            restoresStarted.countDown();
            try {
                while (!restoresMayEnd.await(100, TimeUnit.MILLISECONDS) && !cancellation.isCancelled()) {
                    progress.onProgress(new CopyProgress(1, 2, 0, 1)); // alive, not stalled
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new CopyReport(1, 0, 0, 2, 0);
        }

        @Override
        public VerifyReport verify(String backupId, ProgressListener progress, Cancellation cancellation) {
            return new VerifyReport(3, 12, 0, List.of());
        }
    };

    @BeforeEach
    void start(@TempDir Path mounts) throws Exception {
        vhost = BrokerVhost.create();
        Topology topology = new Topology(vhost.settings());
        gateway = new AmqpConnector(vhost.settings()).open("test-gateway");
        try (var declaring = gateway.createChannel()) {
            topology.declareOsloQueue(declaring, DataRpc.TOPIC);
            topology.declareFerryQueue(declaring, DataRpc.VERIFY_TOPIC);
        }
        state = new RpcServer(gateway, topology, StateRpc.TOPIC, 10, this::answerState);
        status = new RpcServer(gateway, topology, StatusRpc.TOPIC, 10, request -> {
            try {
                transitions.add(StatusRpc.Transition.fromArgs(request.args()));
            } catch (UndecodableMessageException e) {
                throw new IllegalStateException("the node sent a transition the gateway cannot read", e);
            }
            return null;
        });
        casts = new ConfirmPublisher(gateway);
        NfsDriverConfig nfs = new NfsDriverConfig("/srv/backups", "", "", "", "nfs", "", "", "", mounts, true,
                List.of(), 1, false, 0);
        DataNodeConfig config = new DataNodeConfig(vhost.settings(), "node-a", 2, Duration.ofSeconds(10),
                Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60), 5, nfs);
        node = DataNode.start(config, driver, new SubdirShares(nfs), status -> { });
    }

    /** The api-gateway's side of ferry-state: every claim granted (job id: kind and share), leases renewed. */
    private JsonNode answerState(RpcRequest request) {
        return switch (request.method()) {
            case StateRpc.CLAIM_JOB -> {
                StateRpc.Claim claim = claimOf(request);
                String job = claim.kind().wireName() + "-" + claim.shareId();
                claimed.add(job);
                ShareInfo share = new ShareInfo(claim.shareId(), "p1", "NFS", 1, "/exports/" + claim.shareId());
                yield new StateRpc.Grant(job, 1, claim.kind(), claim.backup(), share, share, 30, "secret-" + job)
                        .toJson();
            }
            case StateRpc.RENEW_LEASE -> Json.object().put("lease_seconds", 30);
            default -> Json.object();
        };
    }

    private static StateRpc.Claim claimOf(RpcRequest request) {
        try {
            return StateRpc.Claim.fromArgs(request.args());
        } catch (UndecodableMessageException e) {
            throw new IllegalStateException("the node sent a claim the gateway cannot read", e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        restoresMayEnd.countDown();
        if (node != null) {
            node.close();
        }
        if (casts != null) {
            casts.close();
        }
        for (RpcServer server : new RpcServer[] {state, status}) {
            if (server != null) {
                server.close();
            }
        }
        if (gateway != null && gateway.isOpen()) {
            gateway.close();
        }
        if (vhost != null) {
            vhost.close();
        }
    }

    private void cast(String topic, RpcRequest request) throws Exception {
        casts.publishOslo(vhost.settings().exchange(), topic, false, request.toBytes());
    }

    private static RequestContext alice() {
        return new RequestContext("alice", "p1", false, List.of("member"), "req-verify-slot", null, null, null);
    }

    private boolean succeeded(String jobId) {
        return transitions.stream().anyMatch(t -> t.jobId().equals(jobId)
                && t.outcome() == StatusRpc.Outcome.SUCCEEDED);
    }

    @Test
    void aVerificationRunsWhileEveryJobSlotIsBusy() throws Exception {
        cast(DataRpc.TOPIC, DataRpc.restoreBackup(BACKUP, "t1", alice()));
        cast(DataRpc.TOPIC, DataRpc.restoreBackup(BACKUP, "t2", alice()));
        assertTrue(restoresStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS), "both job slots run a restore");
        // a third restore waits in manila-data: no job slot is free
        cast(DataRpc.TOPIC, DataRpc.restoreBackup(BACKUP, "t3", alice()));

        cast(DataRpc.VERIFY_TOPIC, DataRpc.verifyBackup(BACKUP, alice()));

        await().atMost(WAIT).until(() -> succeeded("verify_backup-s1"));
        assertFalse(claimed.contains("restore_backup-t3"), "the waiting restore was not taken: " + claimed);
        assertFalse(succeeded("restore_backup-t1") || succeeded("restore_backup-t2"), "the restores still run");

        restoresMayEnd.countDown();
        await().atMost(WAIT).until(() -> succeeded("restore_backup-t1") && succeeded("restore_backup-t2")
                && succeeded("restore_backup-t3"));
    }

    @Test
    void aDrainingNodeTakesNoMoreVerifications() throws Exception {
        try (var channel = gateway.createChannel()) {
            assertEquals(1, channel.queueDeclarePassive(DataRpc.VERIFY_TOPIC).getConsumerCount(),
                    "the node's verification slot consumes " + DataRpc.VERIFY_TOPIC);
        }
        node.close();
        cast(DataRpc.VERIFY_TOPIC, DataRpc.verifyBackup(BACKUP, alice()));
        try (var channel = gateway.createChannel()) {
            await().atMost(WAIT).until(() -> channel.queueDeclarePassive(DataRpc.VERIFY_TOPIC).getMessageCount() == 1);
            assertEquals(0, channel.queueDeclarePassive(DataRpc.VERIFY_TOPIC).getConsumerCount(),
                    "the stopped node no longer consumes " + DataRpc.VERIFY_TOPIC);
        }
        assertTrue(claimed.isEmpty(), "nothing was claimed: " + claimed);
    }
}
