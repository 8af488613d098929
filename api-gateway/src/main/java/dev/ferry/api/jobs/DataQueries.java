package dev.ferry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.service.BackupContents;
import dev.ferry.messages.DataQueryRpc;
import dev.ferry.messages.FailureDetail;
import dev.ferry.messages.RequestContext;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.UndecodableMessageException;
import dev.ferry.messages.amqp.RpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@link BackupContents} over {@code ferry-data-query} ({@link DataQueryRpc}): each question is an oslo call that
 * any data node answers from the backup's manifest. The client is set by {@link BrokerServices} once it is
 * connected; until then, and when no data node answers within the timeout, a question is {@code Unavailable}.
 */
public final class DataQueries implements BackupContents {
    /** How long a question waits for a data node's answer before it is answered 503. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private final Duration timeout;
    private volatile RpcClient client;

    public DataQueries(Duration timeout) {
        this.timeout = timeout;
    }

    /** The client to call with (null: not connected). */
    void use(RpcClient client) {
        this.client = client;
    }

    @Override
    public Page browse(String backupId, String folder, int limit, long offset, String requestId) {
        JsonNode result = call(new DataQueryRpc.Browse(backupId, folder, limit, offset), requestId);
        try {
            DataQueryRpc.Page page = DataQueryRpc.Page.fromResult(result);
            return new Page(page.files().stream().map(f -> new File(f.path(), f.type(), f.size(), f.mode(),
                    f.mtimeNanos(), f.checksum())).toList(), page.more());
        } catch (UndecodableMessageException e) {
            throw new Refused("the data node's answer could not be read: " + e.getMessage(), false, false);
        }
    }

    @Override
    public List<String> missingPaths(String backupId, List<String> paths, String requestId) {
        JsonNode result = call(new DataQueryRpc.MissingPaths(backupId, paths), requestId);
        try {
            return DataQueryRpc.missingFromResult(result);
        } catch (UndecodableMessageException e) {
            throw new Refused("the data node's answer could not be read: " + e.getMessage(), false, false);
        }
    }

    private JsonNode call(DataQueryRpc.Query query, String requestId) {
        RpcClient now = client;
        if (now == null) {
            throw new Unavailable("The api-gateway is not connected to RabbitMQ, so it cannot ask a data node about "
                    + "backup " + query.backupId() + ". Retry later.");
        }
        RequestContext context = new RequestContext(null, null, false, List.of(),
                requestId == null ? RequestContext.newRequestId() : requestId, null, null, null);
        try {
            return now.call(DataQueryRpc.TOPIC, query.toRequest(context), timeout);
        } catch (RpcFailureException e) {
            FailureDetail detail = DataQueryRpc.refusalDetail(e.failure());
            String reason = e.failure().message();
            if (detail == null) {
                throw new Refused(reason, false, false);
            }
            throw new Refused(reason, detail == FailureDetail.NO_MANIFEST, detail == FailureDetail.UNKNOWN_ERROR);
        } catch (TimeoutException e) {
            throw new Unavailable("No data node answered within " + timeout.toSeconds() + " s: reading backup "
                    + query.backupId() + " needs a running data node. An administrator can see the data nodes with "
                    + "GET /v2/services. Retry later.");
        } catch (IOException e) {
            throw new Unavailable("The api-gateway could not ask a data node about backup " + query.backupId() + " ("
                    + e.getMessage() + "). Retry later.");
        }
    }
}
