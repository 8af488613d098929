package dev.ferry.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Manila's data service API, {@code manila/data/rpcapi.py}: topic {@code manila-data}, endpoint
 * version 1.1, exact method and argument names, so real oslo clients and servers interoperate.
 * Ferry adds three methods of its own for its {@code subdir} share backend ({@code create_share},
 * {@code delete_share}, {@code shrink_share}) and {@code verify_backup}; a Manila data service answers them with
 * NoSuchMethod. Ferry's {@code verify_backup} casts travel on a topic of their own, {@link #VERIFY_TOPIC}, in the same
 * oslo envelope, so that a verification never waits behind busy job slots: every data node serves it with a slot
 * of its own ({@link #topicOf}).
 */
public final class DataRpc {
    public static final String TOPIC = "manila-data";
    /** Ferry's own topic (and durable queue) for {@code verify_backup} casts, beside {@link #TOPIC}. */
    public static final String VERIFY_TOPIC = "ferry-data-verify";
    public static final String ENDPOINT_VERSION = "1.1";
    public static final String RESTORE_BACKUP = "restore_backup";
    public static final String CREATE_BACKUP = "create_backup";
    public static final String DELETE_BACKUP = "delete_backup";
    public static final String CREATE_SHARE = "create_share";
    public static final String DELETE_SHARE = "delete_share";
    public static final String SHRINK_SHARE = "shrink_share";
    public static final String VERIFY_BACKUP = "verify_backup";

    private DataRpc() {
    }

    /** A cast this data node understands. */
    public sealed interface DataCast permits RestoreBackup, CreateBackup, DeleteBackup, CreateShare, DeleteShare,
            ShrinkShare, VerifyBackup {
        /** The backup the job reads or writes; null for share jobs that involve none. */
        BackupRow backup();

        /** The share the job writes: the restore target, or the share being backed up. */
        String shareId();

        /** The job the cast asks for: each cast type names its own kind, so no reader maps types to kinds. */
        JobKind kind();
    }

    /** {@code restore_backup(backup, share_id)}: share_id is the target, always present. */
    public record RestoreBackup(BackupRow backup, String shareId) implements DataCast {
        @Override
        public JobKind kind() {
            return JobKind.RESTORE;
        }
    }

    /** {@code create_backup(backup)}: the share is {@code backup.share_id}. */
    public record CreateBackup(BackupRow backup) implements DataCast {
        @Override
        public JobKind kind() {
            return JobKind.CREATE_BACKUP;
        }

        @Override
        public String shareId() {
            return backup.shareId();
        }
    }

    /** {@code delete_backup(backup)}: removes {@code <backup repository>/<backup id>/}. */
    public record DeleteBackup(BackupRow backup) implements DataCast {
        @Override
        public JobKind kind() {
            return JobKind.DELETE_BACKUP;
        }

        @Override
        public String shareId() {
            return backup.shareId();
        }
    }

    /** Ferry's {@code create_share(share_id, backup)}: a new folder, filled from {@code backup} unless it is null. */
    public record CreateShare(String shareId, BackupRow backup) implements DataCast {
        @Override
        public JobKind kind() {
            return JobKind.CREATE_SHARE;
        }
    }

    /** Ferry's {@code delete_share(share_id)}: removes a {@code subdir} share's folder. */
    public record DeleteShare(String shareId) implements DataCast {
        @Override
        public JobKind kind() {
            return JobKind.DELETE_SHARE;
        }

        @Override
        public BackupRow backup() {
            return null;
        }
    }

    /** Ferry's {@code shrink_share(share_id, new_size)}: the share's used space must fit {@code new_size} GiB. */
    public record ShrinkShare(String shareId, long newSize) implements DataCast {
        @Override
        public JobKind kind() {
            return JobKind.SHRINK_SHARE;
        }

        @Override
        public BackupRow backup() {
            return null;
        }
    }

    /** Ferry's {@code verify_backup(backup)}: checks the repository copy against the backup's manifest. */
    public record VerifyBackup(BackupRow backup) implements DataCast {
        @Override
        public JobKind kind() {
            return JobKind.VERIFY_BACKUP;
        }

        @Override
        public String shareId() {
            return backup.shareId();
        }
    }

    /** Where a cast for a job of {@code kind} goes: {@link #VERIFY_TOPIC} for a verification, else {@link #TOPIC}. */
    public static String topicOf(JobKind kind) {
        return kind == JobKind.VERIFY_BACKUP ? VERIFY_TOPIC : TOPIC;
    }

    public static RpcRequest verifyBackup(BackupRow backup, RequestContext context) {
        ObjectNode args = Json.object();
        args.set("backup", backup.toOslo());
        return RpcRequest.cast(VERIFY_BACKUP, args, "1.1", context);
    }

    public static RpcRequest createShare(String shareId, BackupRow backup, RequestContext context) {
        ObjectNode args = Json.object();
        args.put("share_id", shareId);
        args.set("backup", backup == null ? null : backup.toOslo());
        return RpcRequest.cast(CREATE_SHARE, args, "1.1", context);
    }

    public static RpcRequest deleteShare(String shareId, RequestContext context) {
        ObjectNode args = Json.object();
        args.put("share_id", shareId);
        return RpcRequest.cast(DELETE_SHARE, args, "1.1", context);
    }

    public static RpcRequest shrinkShare(String shareId, long newSize, RequestContext context) {
        ObjectNode args = Json.object();
        args.put("share_id", shareId);
        args.put("new_size", newSize);
        return RpcRequest.cast(SHRINK_SHARE, args, "1.1", context);
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
                    return new RestoreBackup(BackupRow.fromOslo(request.args().get("backup")), shareIdOf(request));
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
                case VERIFY_BACKUP -> {
                    requireExactly(request, Set.of("backup"));
                    return new VerifyBackup(BackupRow.fromOslo(request.args().get("backup")));
                }
                case CREATE_SHARE -> {
                    requireExactly(request, Set.of("share_id", "backup"));
                    JsonNode backup = request.args().get("backup");
                    return new CreateShare(shareIdOf(request), backup.isNull() ? null : BackupRow.fromOslo(backup));
                }
                case DELETE_SHARE -> {
                    requireExactly(request, Set.of("share_id"));
                    return new DeleteShare(shareIdOf(request));
                }
                case SHRINK_SHARE -> {
                    requireExactly(request, Set.of("share_id", "new_size"));
                    JsonNode newSize = request.args().get("new_size");
                    if (!newSize.canConvertToLong() || !newSize.isIntegralNumber() || newSize.asLong() < 1) {
                        throw new RpcFailureException(RemoteFailure.typeError(
                                "shrink_share() argument 'new_size' must be a positive integer"));
                    }
                    return new ShrinkShare(shareIdOf(request), newSize.asLong());
                }
                default -> throw new RpcFailureException(RemoteFailure.noSuchMethod(request.method()));
            }
        } catch (UndecodableMessageException e) {
            throw new RpcFailureException(RemoteFailure.typeError(request.method() + "(): " + e.getMessage()));
        }
    }

    private static String shareIdOf(RpcRequest request) throws RpcFailureException {
        JsonNode shareId = request.args().get("share_id");
        if (!shareId.isTextual() || shareId.asText().isBlank()) {
            throw new RpcFailureException(RemoteFailure.typeError(
                    request.method() + "() argument 'share_id' must be a share id string"));
        }
        return shareId.asText();
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
