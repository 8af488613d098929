package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry's query topic, {@code ferry-data-query}: oslo calls from the api-gateway that any data node answers from a
 * backup's manifest, on a consumer and threads of their own, so a query never waits behind busy job slots. Calls
 * only (a cast has nobody to answer). Replies go through the topic exchange with the caller's reply queue as the
 * routing key (the api-gateway binds its query reply queue by its own name), since a least-privilege data node may
 * not publish to the default exchange.
 *
 * <ul>
 *   <li>{@code browse(backup_id, path, limit, offset)} → {@code {"files": [{"path", "type", "size", "mode",
 *   "mtime_ns", "checksum"}], "more": bool}}: one page of the entries directly inside folder {@code path}
 *   ("" is the backup's root), sorted by name.</li>
 *   <li>{@code missing_paths(backup_id, paths)} → {@code {"missing": [...]}}: those of {@code paths} the backup's
 *   manifest does not hold, in the order given.</li>
 * </ul>
 * A driver's refusal answers the failure {@code BackupQueryRefused} (module {@code ferry.data_query}) with kwargs
 * {@code detail_id} (911: the backup has no manifest; 001: e.g. an unknown folder) and {@code reason}.
 */
public final class DataQueryRpc {
    public static final String TOPIC = "ferry-data-query";
    public static final String VERSION = "1.0";
    public static final String BROWSE = "browse";
    public static final String MISSING_PATHS = "missing_paths";
    public static final String REFUSED = "BackupQueryRefused";
    public static final String MODULE = "ferry.data_query";

    private DataQueryRpc() {
    }

    /** A query a data node answers. */
    public sealed interface Query permits Browse, MissingPaths {
        String backupId();

        RpcRequest toRequest(RequestContext context);
    }

    /** {@code browse}: {@code limit} entries of folder {@code path} from the {@code offset}-th. */
    public record Browse(String backupId, String path, int limit, long offset) implements Query {
        @Override
        public RpcRequest toRequest(RequestContext context) {
            ObjectNode args = Json.object();
            args.put("backup_id", backupId);
            args.put("path", path);
            args.put("limit", limit);
            args.put("offset", offset);
            return RpcRequest.cast(BROWSE, args, VERSION, context);
        }
    }

    /** {@code missing_paths}: which of {@code paths} the backup does not hold. */
    public record MissingPaths(String backupId, List<String> paths) implements Query {
        public MissingPaths {
            paths = List.copyOf(paths);
        }

        @Override
        public RpcRequest toRequest(RequestContext context) {
            ObjectNode args = Json.object();
            args.put("backup_id", backupId);
            ArrayNode list = args.putArray("paths");
            paths.forEach(list::add);
            return RpcRequest.cast(MISSING_PATHS, args, VERSION, context);
        }
    }

    /** One entry of a browse page; {@code checksum} null for directories and links. */
    public record File(String path, String type, long size, int mode, long mtimeNanos, String checksum) {
    }

    /** A browse page; {@code more} when entries follow it. */
    public record Page(List<File> files, boolean more) {
        public Page {
            files = List.copyOf(files);
        }

        public JsonNode toResult() {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("files");
            for (File f : files) {
                ObjectNode entry = list.addObject();
                entry.put("path", f.path());
                entry.put("type", f.type());
                entry.put("size", f.size());
                entry.put("mode", f.mode());
                entry.put("mtime_ns", f.mtimeNanos());
                entry.put("checksum", f.checksum());
            }
            out.put("more", more);
            return out;
        }

        public static Page fromResult(JsonNode result) throws UndecodableMessageException {
            if (result == null || !result.path("files").isArray()) {
                throw new UndecodableMessageException("a browse reply needs a 'files' list");
            }
            List<File> files = new ArrayList<>();
            for (JsonNode f : result.get("files")) {
                files.add(new File(Json.text(f, "path"), Json.text(f, "type"), f.path("size").asLong(),
                        f.path("mode").asInt(), f.path("mtime_ns").asLong(), Json.text(f, "checksum")));
            }
            return new Page(files, result.path("more").asBoolean(false));
        }
    }

    public static JsonNode missingResult(List<String> missing) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("missing");
        missing.forEach(list::add);
        return out;
    }

    public static List<String> missingFromResult(JsonNode result) throws UndecodableMessageException {
        if (result == null || !result.path("missing").isArray()) {
            throw new UndecodableMessageException("a missing_paths reply needs a 'missing' list");
        }
        List<String> missing = new ArrayList<>();
        result.get("missing").forEach(p -> missing.add(p.asText()));
        return missing;
    }

    /** A driver refused the query: {@code detail} says why (911 no manifest), {@code reason} in words. */
    public static RemoteFailure refused(FailureDetail detail, String reason) {
        ObjectNode kwargs = Json.object();
        kwargs.put("detail_id", detail.id());
        kwargs.put("reason", reason);
        return new RemoteFailure(REFUSED, MODULE, reason, kwargs);
    }

    /** The detail of a {@link #refused} failure, or null when the failure is another one. */
    public static FailureDetail refusalDetail(RemoteFailure failure) {
        if (!REFUSED.equals(failure.className()) || failure.kwargs() == null) {
            return null;
        }
        return FailureDetail.fromId(failure.kwargs().path("detail_id").asText(""));
    }

    /** Reads a query as the data node's dispatcher does; a failure says what is wrong with it. */
    public static Query parse(RpcRequest request) throws RpcFailureException {
        if (!RpcVersion.compatible(VERSION, request.version())) {
            throw new RpcFailureException(RemoteFailure.unsupportedVersion(request.version(), request.method()));
        }
        JsonNode args = request.args();
        String backupId = Json.text(args, "backup_id");
        if (backupId == null || backupId.isBlank()) {
            throw new RpcFailureException(RemoteFailure.typeError(request.method() + "() needs 'backup_id'"));
        }
        switch (request.method()) {
            case BROWSE -> {
                String path = Json.text(args, "path");
                int limit = args.path("limit").asInt(0);
                long offset = args.path("offset").asLong(-1);
                if (path == null || limit < 1 || offset < 0) {
                    throw new RpcFailureException(RemoteFailure.typeError(
                            "browse() needs 'path' (a string), 'limit' (at least 1) and 'offset' (at least 0)"));
                }
                return new Browse(backupId, path, limit, offset);
            }
            case MISSING_PATHS -> {
                JsonNode paths = args.get("paths");
                if (paths == null || !paths.isArray()) {
                    throw new RpcFailureException(RemoteFailure.typeError("missing_paths() needs 'paths' (a list)"));
                }
                List<String> list = new ArrayList<>();
                paths.forEach(p -> list.add(p.asText()));
                return new MissingPaths(backupId, list);
            }
            default -> throw new RpcFailureException(RemoteFailure.noSuchMethod(request.method()));
        }
    }
}
