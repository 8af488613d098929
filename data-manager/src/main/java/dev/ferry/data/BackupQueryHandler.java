package dev.ferry.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.drivers.BackupDriver;
import dev.ferry.drivers.BrowseEntry;
import dev.ferry.drivers.BrowsePage;
import dev.ferry.drivers.DriverException;
import dev.ferry.messages.DataQueryRpc;
import dev.ferry.messages.Json;
import dev.ferry.messages.RemoteFailure;
import dev.ferry.messages.RpcFailureException;
import dev.ferry.messages.RpcRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the api-gateway's {@link DataQueryRpc} calls from the backup driver: a folder's page for {@code browse},
 * the unknown ones of some paths for {@code missing_paths}. A driver's refusal (no manifest, an unknown folder) is
 * the {@code BackupQueryRefused} failure with its detail; anything else a failure that says what broke.
 */
final class BackupQueryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BackupQueryHandler.class);
    private final BackupDriver driver;

    BackupQueryHandler(BackupDriver driver) {
        this.driver = driver;
    }

    JsonNode handle(RpcRequest request) throws RpcFailureException {
        DataQueryRpc.Query query = DataQueryRpc.parse(request);
        try {
            if (query instanceof DataQueryRpc.Browse browse) {
                return browse(browse);
            }
            DataQueryRpc.MissingPaths missing = (DataQueryRpc.MissingPaths) query;
            return DataQueryRpc.missingResult(driver.missingPaths(missing.backupId(), missing.paths()));
        } catch (DriverException e) {
            LOG.info("{} of backup {} refused: {}", request.method(), query.backupId(), e.getMessage());
            throw new RpcFailureException(DataQueryRpc.refused(e.detail(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("{} of backup {} failed", request.method(), query.backupId(), e);
            throw new RpcFailureException(new RemoteFailure("QueryFailed", DataQueryRpc.MODULE,
                    request.method() + " of backup " + query.backupId() + " failed on the data node: " + e,
                    Json.object()));
        }
    }

    private JsonNode browse(DataQueryRpc.Browse browse) throws DriverException {
        BrowsePage page = driver.browse(browse.backupId(), browse.path(), browse.limit(), browse.offset());
        List<DataQueryRpc.File> files = page.entries().stream().map(BackupQueryHandler::file).toList();
        return new DataQueryRpc.Page(files, page.more()).toResult();
    }

    private static DataQueryRpc.File file(BrowseEntry e) {
        return new DataQueryRpc.File(e.path(), e.type(), e.size(), e.mode(), e.mtimeNanos(), e.checksum());
    }
}
