package dev.ferry.api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.model.Share;
import dev.ferry.api.model.ShareStatus;
import dev.ferry.api.testing.Engine;
import dev.ferry.api.testing.Fixtures;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.testing.TestDatabases;
import dev.ferry.messages.Json;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.OsloEnvelope;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import dev.ferry.messages.StateRpc;
import dev.ferry.messages.StatusRpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ferry-state and ferry-status handlers, fed requests that went through the wire encoding. */
class RpcHandlersTest {
    private TestDatabases dbs;
    private Fixtures f;

    @BeforeEach
    void open() {
        dbs = new TestDatabases();
        f = new Fixtures(dbs.fresh(Engine.H2));
    }

    @AfterEach
    void close() {
        dbs.close();
    }

    private StateRpcHandler stateHandler() {
        CastOutbox outbox = new CastOutbox(f.repos().outbox(), "openstack", () -> { });
        return new StateRpcHandler(new ClaimService(f.repos(), 30),
                new LeaseService(f.repos(), new JobRequeue(f.repos(), outbox), outbox, 30));
    }

    private static RpcRequest overTheWire(RpcRequest request) throws Exception {
        return RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, request.asCall("reply_q").toBytes());
    }

    @Test
    void claimJobCallsGetAGrantAndTransitionsApply() throws Exception {
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        StateRpcHandler state = stateHandler();
        StatusRpcHandler status = new StatusRpcHandler(new TransitionApplier(f.repos()));
        RequestContext context = RequestContext.service("node-a", job.requestId());

        JsonNode result = state.handle(overTheWire(new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(),
                "node-a").toRequest(context)));
        StateRpc.Grant grant = StateRpc.Grant.fromJson(Json.parse(Json.pythonStyle(result)));
        assertEquals(job.id(), grant.jobId());
        assertEquals(1, grant.epoch());

        status.handle(overTheWire(StatusRpc.Transition.succeeded(job.id(), 1, "node-a").toRequest(context)));
        assertEquals(JobStatus.RUNNING, f.job(job.id()).status(), "a transition without the grant's secret is dropped");
        status.handle(overTheWire(StatusRpc.Transition.succeeded(job.id(), 1, "node-a").withSecret(grant.secret())
                .toRequest(context)));
        assertEquals(JobStatus.SUCCEEDED, f.job(job.id()).status());
        assertEquals(ShareStatus.AVAILABLE, f.share(share.id()).status());
    }

    @Test
    void unknownMethodsVersionsAndArgumentsAreOsloFailures() {
        StateRpcHandler state = stateHandler();
        StatusRpcHandler status = new StatusRpcHandler(new TransitionApplier(f.repos()));
        RequestContext context = RequestContext.service("node-a", "req-1");
        RpcRequest unknown = RpcRequest.cast("steal_job", Json.object(), "1.0", context);
        assertEquals("NoSuchMethod", assertThrows(RpcFailureException.class, () -> state.handle(unknown))
                .failure().className());
        RpcRequest tooNew = RpcRequest.cast(StateRpc.CLAIM_JOB, Json.object(), "1.5", context);
        assertEquals("UnsupportedVersion", assertThrows(RpcFailureException.class, () -> state.handle(tooNew))
                .failure().className());
        RpcRequest noKind = RpcRequest.cast(StateRpc.CLAIM_JOB, Json.object(), "1.0", context);
        assertEquals("TypeError", assertThrows(RpcFailureException.class, () -> state.handle(noKind))
                .failure().className());
        RpcRequest noHold = RpcRequest.cast(StateRpc.RENEW_LEASE, Json.object().put("job_id", "j"), "1.0", context);
        assertEquals("TypeError", assertThrows(RpcFailureException.class, () -> state.handle(noHold))
                .failure().className());
        RpcRequest noNode = new StateRpc.Hold("j", 1, null).renewRequest(context);
        RpcFailureException nodeMissing = assertThrows(RpcFailureException.class, () -> state.handle(noNode));
        assertEquals("TypeError", nodeMissing.failure().className());
        assertTrue(nodeMissing.failure().message().contains("'node' is missing"), nodeMissing.failure().message());
        RpcRequest noJob = RpcRequest.cast(StatusRpc.JOB_TRANSITION, Json.object(), "1.0", context);
        assertEquals("TypeError", assertThrows(RpcFailureException.class, () -> status.handle(noJob))
                .failure().className());
    }

    @Test
    void renewLeaseAndReleaseJobCallsAnswerOverTheWire() throws Exception {
        Share share = f.share("p1", 10, ShareStatus.BACKUP_RESTORING);
        Backup backup = f.backup(share, 10, BackupStatus.RESTORING);
        Job job = f.job(JobKind.RESTORE, backup, share, JobStatus.QUEUED, 0, null);
        StateRpcHandler state = stateHandler();
        RequestContext context = RequestContext.service("node-a", job.requestId());
        StateRpc.Grant grant = StateRpc.Grant.fromJson(Json.parse(Json.pythonStyle(state.handle(overTheWire(
                new StateRpc.Claim(JobKind.RESTORE, backup.toRow(), share.id(), "node-a").toRequest(context))))));
        StateRpc.Hold hold = new StateRpc.Hold(job.id(), 1, "node-a", grant.secret());

        JsonNode renewed = state.handle(overTheWire(hold.renewRequest(context)));
        assertEquals(30, renewed.path("lease_seconds").asInt());

        JsonNode released = state.handle(overTheWire(hold.releaseRequest("node-a is draining", context)));
        assertEquals(0, released.size());
        assertEquals(JobStatus.QUEUED, f.job(job.id()).status());

        RpcFailureException lost = assertThrows(RpcFailureException.class,
                () -> state.handle(overTheWire(hold.renewRequest(context))));
        assertEquals(StateRpc.LEASE_LOST, lost.failure().className());
        assertTrue(lost.failure().message().contains("is no longer held by node node-a at epoch 1"),
                lost.failure().message());
    }

    @Test
    void aCallRefusedByADataNodeIsAnsweredWithItsFailureToTheOriginalCaller() throws Exception {
        StatusRpcHandler status = new StatusRpcHandler(new TransitionApplier(f.repos()));
        RequestContext context = RequestContext.service("node-a", "req-1");
        RpcRequest forwarded = RpcRequest.decode(OsloEnvelope.CONTENT_TYPE, StatusRpc.refusedCall("reply_caller",
                "msg-7", dev.ferry.messages.RemoteFailure.unsupportedVersion("1.2", "restore_backup"), context)
                .toBytes());

        RpcFailureException failure = assertThrows(RpcFailureException.class, () -> status.handle(forwarded));

        assertEquals("UnsupportedVersion", failure.failure().className());
        assertEquals("reply_caller", forwarded.replyQueue(), "the RPC server replies to the caller's queue");
        assertEquals("msg-7", forwarded.msgId(), "under the caller's message id");
    }
}
