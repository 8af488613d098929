package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Manila's data service API, {@code manila/data/rpcapi.py}: topic {@code manila-data}, endpoint
 * version 1.1, exact method and argument names, so real oslo clients and servers interoperate.
 */
public final class DataRpc {
    public static final String TOPIC = "manila-data";
    public static final String ENDPOINT_VERSION = "1.1";
    public static final String RESTORE_BACKUP = "restore_backup";
    public static final String CREATE_BACKUP = "create_backup";
    public static final String DELETE_BACKUP = "delete_backup";

    private DataRpc() {
    }

    /** A cast this data node understands. */
    public sealed interface DataCast permits RestoreBackup, CreateBackup, DeleteBackup {
        BackupRow backup();

        /** The share the job writes: the restore target, or the share being backed up. */
        String shareId();
    }

    /** {@code restore_backup(backup, share_id)}: share_id is the target, always present. */
    public record RestoreBackup(BackupRow backup, String shareId) implements DataCast {
    }

    /** {@code create_backup(backup)}: the share is {@code backup.share_id}. */
    public record CreateBackup(BackupRow backup) implements DataCast {
        @Override
        public String shareId() {
            return backup.shareId();
        }
    }

    /** {@code delete_backup(backup)}: removes {@code <backup repository>/<backup id>/}. */
    public record DeleteBackup(BackupRow backup) implements DataCast {
        @Override
        public String shareId() {
            return backup.shareId();
        }
    }

    public static RpcRequest deleteBackup(BackupRow backup, RequestContext context) {
        ObjectNode args = Json.object();
        args.set("backup", backup.toOslo());
        return RpcRequest.cast(DELETE_BACKUP, args, "1.1", context);
    }

    public static RpcRequest restoreBackup(BackupRow backup, String targetShareId, RequestContext context) {
        ObjectNode args = Json.object();
        args.set("backup", backup.toOslo());
        args.put("share_id", targetShareId);
        return RpcRequest.cast(RESTORE_BACKUP, args, "1.1", context);
    }

    public static RpcRequest createBackup(BackupRow backup, RequestContext context) {
        ObjectNode args = Json.object();
        ObjectNode row = backup.toOslo();
        row.putObject("backup_options");
        args.set("backup", row);
        return RpcRequest.cast(CREATE_BACKUP, args, "1.1", context);
    }

    /**
     * Reads a request as oslo's dispatcher would: the version must be compatible with 1.1, the
     * method known, and the arguments exactly the endpoint's parameters.
     */
    public static DataCast parse(RpcRequest request) throws RpcFailureException {
        if (!RpcVersion.compatible(ENDPOINT_VERSION, request.version())) {
            throw new RpcFailureException(RemoteFailure.unsupportedVersion(request.version(), request.method()));
        }
        try {
            switch (request.method()) {
                case RESTORE_BACKUP -> {
                    requireExactly(request, Set.of("backup", "share_id"));
                    JsonNode shareId = request.args().get("share_id");
                    if (!shareId.isTextual() || shareId.asText().isBlank()) {
                        throw new RpcFailureException(RemoteFailure.typeError(
                                "restore_backup() argument 'share_id' must be a share id string"));
                    }
                    return new RestoreBackup(BackupRow.fromOslo(request.args().get("backup")), shareId.asText());
                }
                case CREATE_BACKUP -> {
                    requireExactly(request, Set.of("backup"));
                    BackupRow backup = BackupRow.fromOslo(request.args().get("backup"));
                    if (backup.shareId() == null) {
                        throw new RpcFailureException(RemoteFailure.typeError(
                                "create_backup() argument 'backup' has no 'share_id'"));
                    }
                    return new CreateBackup(backup);
                }
                case DELETE_BACKUP -> {
                    requireExactly(request, Set.of("backup"));
                    return new DeleteBackup(BackupRow.fromOslo(request.args().get("backup")));
                }
                default -> throw new RpcFailureException(RemoteFailure.noSuchMethod(request.method()));
            }
        } catch (UndecodableMessageException e) {
            throw new RpcFailureException(RemoteFailure.typeError(request.method() + "(): " + e.getMessage()));
        }
    }

    private static void requireExactly(RpcRequest request, Set<String> expected) throws RpcFailureException {
        Set<String> actual = new TreeSet<>();
        for (Iterator<String> it = request.args().fieldNames(); it.hasNext(); ) {
            actual.add(it.next());
        }
        for (String name : actual) {
            if (!expected.contains(name)) {
                throw new RpcFailureException(RemoteFailure.typeError(
                        request.method() + "() got an unexpected keyword argument '" + name + "'"));
            }
        }
        for (String name : new TreeSet<>(expected)) {
            if (!actual.contains(name)) {
                throw new RpcFailureException(RemoteFailure.typeError(
                        request.method() + "() missing 1 required positional argument: '" + name + "'"));
            }
        }
    }
}
