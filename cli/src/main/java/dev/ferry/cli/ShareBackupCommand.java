package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.output.Listing;
import dev.ferry.messages.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry share backup ...}: share backups, as {@code openstack share backup ...} handles them. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Creates, lists, shows, renames, deletes, restores and cancels share backups.",
        subcommands = {ShareBackupCommand.CreateBackup.class, ShareBackupCommand.ListBackups.class,
            ShareBackupCommand.ShowBackup.class, ShareBackupCommand.SetBackup.class,
            ShareBackupCommand.DeleteBackup.class, ShareBackupCommand.RestoreBackup.class,
            ShareBackupCommand.CancelBackup.class})
final class ShareBackupCommand implements Runnable {
    static final List<String> LIST_COLUMNS = List.of("ID", "Name", "Share ID", "Status");
    private static final List<String> LIST_FIELDS = List.of("id", "name", "share_id", "status");

    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Backs a share up.")
    static final class CreateBackup extends ClientCommand {
        @CommandLine.Parameters(paramLabel = "<share>", description = "The name or ID of the share to back up.")
        private String share;

        @CommandLine.Option(names = "--name", paramLabel = "NAME", description = "The backup's name.")
        private String name;

        @CommandLine.Option(names = "--description", paramLabel = "TEXT", description = "The backup's description.")
        private String description;

        @CommandLine.Option(names = "--wait", description = "Wait until the backup is available (or failed).")
        private boolean wait;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            ObjectNode body = Json.object();
            ObjectNode backup = body.putObject("share_backup");
            backup.put("share_id", Resource.SHARE.find(api, share).path("id").asText());
            if (name != null) {
                backup.put("name", name);
            }
            if (description != null) {
                backup.put("description", description);
            }
            JsonNode created = Resource.BACKUP.unwrap(api.post(Resource.BACKUP.collection(), body));
            String id = created.path("id").asText();
            if (wait) {
                UserMessages messages = UserMessages.none(api, id);
                if (waiter().await(() -> state(api, id), progress()) == Waiter.Outcome.FAILED) {
                    return failed(spec.commandLine().getErr(), "backing up share " + backup.path("share_id")
                            .asText() + " (backup " + id + ")", messages.newest(),
                            "backup " + status(api, Resource.BACKUP, id));
                }
            }
            output.print(ClientCommand.record(Resource.BACKUP.byId(api, id).orElse(created)), out);
            return 0;
        }

        private static Waiter.State state(ApiClient api, String id) throws ApiClient.ApiFailure {
            Optional<JsonNode> backup = Resource.BACKUP.byId(api, id);
            if (backup.isEmpty()) {
                return new Waiter.State(null, Waiter.Outcome.FAILED);
            }
            Integer percent = Waiter.percent(backup.get().path("progress").asText(null));
            return switch (backup.get().path("status").asText()) {
                case "available" -> new Waiter.State(100, Waiter.Outcome.SUCCEEDED);
                case "creating" -> Waiter.State.running(percent);
                default -> new Waiter.State(percent, Waiter.Outcome.FAILED);
            };
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the share backups you see.")
    static final class ListBackups extends ClientCommand {
        @CommandLine.Option(names = "--share", paramLabel = "<share>",
                description = "Only backups of this share (name or ID).")
        private String share;

        @CommandLine.Option(names = "--name", paramLabel = "NAME", description = "Only backups with this name.")
        private String name;

        @CommandLine.Option(names = "--status", paramLabel = "STATUS", description = "Only backups in this status.")
        private String status;

        @CommandLine.Option(names = "--all-projects", description = "Backups of every project (admins).")
        private boolean allProjects;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            List<String> query = new ArrayList<>();
            if (share != null) {
                query.add("share_id=" + ApiClient.encode(Resource.SHARE.find(api, share).path("id").asText()));
            }
            if (name != null) {
                query.add("name=" + ApiClient.encode(name));
            }
            if (status != null) {
                query.add("status=" + ApiClient.encode(status));
            }
            if (allProjects) {
                query.add("all_tenants=1");
            }
            List<List<JsonNode>> rows = new ArrayList<>();
            for (JsonNode backup : Resource.BACKUP.list(api, String.join("&", query))) {
                rows.add(LIST_FIELDS.stream().map(backup::path).map(v -> v.isMissingNode() ? null : v).toList());
            }
            output.print(Listing.list(LIST_COLUMNS, rows), out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one share backup.")
    static final class ShowBackup extends ClientCommand {
        @CommandLine.Parameters(paramLabel = "<backup>", description = "The backup's name or ID.")
        private String backup;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            output.print(ClientCommand.record(Resource.BACKUP.find(api, backup)), out);
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Renames or redescribes a share backup.")
    static final class SetBackup extends ClientCommand {
        @CommandLine.Parameters(paramLabel = "<backup>", description = "The backup's name or ID.")
        private String backup;

        @CommandLine.Option(names = "--name", paramLabel = "NAME", description = "The new name.")
        private String name;

        @CommandLine.Option(names = "--description", paramLabel = "TEXT", description = "The new description.")
        private String description;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            if (name == null && description == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say what to change: --name and/or --description");
            }
            String id = Resource.BACKUP.find(api, backup).path("id").asText();
            ObjectNode body = Json.object();
            ObjectNode changes = body.putObject("share_backup");
            if (name != null) {
                changes.put("name", name);
            }
            if (description != null) {
                changes.put("description", description);
            }
            JsonNode updated = Resource.BACKUP.unwrap(api.put(Resource.BACKUP.path(id), body));
            output.print(ClientCommand.record(Resource.BACKUP.byId(api, id).orElse(updated)), out);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes share backups and their copies in the backup repository.")
    static final class DeleteBackup extends ClientCommand {
        @CommandLine.Parameters(arity = "1..*", paramLabel = "<backup>", description = "Names or IDs of backups.")
        private List<String> backups;

        @CommandLine.Option(names = "--wait", description = "Wait until each backup is gone.")
        private boolean wait;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            return deleteEach(api, Resource.BACKUP, "backup", backups, wait);
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restores a share backup into its own share, or with --target-share into another one.")
    static final class RestoreBackup extends ClientCommand {
        @CommandLine.Parameters(paramLabel = "<backup>", description = "The backup's name or ID.")
        private String backup;

        @CommandLine.Option(names = "--target-share", paramLabel = "<share>",
                description = "The share to restore into (name or ID); default: the backup's own share.")
        private String target;

        @CommandLine.Option(names = "--wait", description = "Wait until the restore is done, showing its progress; "
                + "exit 1 with the user message when it fails.")
        private boolean wait;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            JsonNode found = Resource.BACKUP.find(api, backup);
            String backupId = found.path("id").asText();
            String shareId = target == null ? found.path("share_id").asText()
                    : Resource.SHARE.find(api, target).path("id").asText();
            UserMessages messages = UserMessages.before(api, shareId);
            ObjectNode body = Json.object();
            if (target == null) {
                body.putNull("restore");
            } else {
                body.put("restore", shareId);
            }
            api.post(Resource.BACKUP.path(backupId) + "/action", body);
            if (!wait) {
                return 0;
            }
            Waiter.Outcome outcome = waiter().await(() -> state(api, backupId, shareId), progress());
            if (outcome == Waiter.Outcome.FAILED) {
                return failed(spec.commandLine().getErr(), "restoring backup " + backupId + " into share " + shareId,
                        messages.newest(), "backup " + status(api, Resource.BACKUP, backupId) + ", share "
                                + status(api, Resource.SHARE, shareId));
            }
            return 0;
        }

        /** Done when backup and target are both available again; failed when either shows an error. */
        private static Waiter.State state(ApiClient api, String backupId, String shareId)
                throws ApiClient.ApiFailure {
            Optional<JsonNode> backup = Resource.BACKUP.byId(api, backupId);
            Optional<JsonNode> share = Resource.SHARE.byId(api, shareId);
            if (backup.isEmpty() || share.isEmpty()) {
                return new Waiter.State(null, Waiter.Outcome.FAILED);
            }
            String backupStatus = backup.get().path("status").asText();
            String shareStatus = share.get().path("status").asText();
            Integer percent = Waiter.percent(backup.get().path("restore_progress").asText(null));
            if (backupStatus.startsWith("error") || shareStatus.contains("error")) {
                return new Waiter.State(percent, Waiter.Outcome.FAILED);
            }
            if ("available".equals(backupStatus) && "available".equals(shareStatus)) {
                return new Waiter.State(100, Waiter.Outcome.SUCCEEDED);
            }
            return Waiter.State.running("restoring".equals(backupStatus) ? percent : null);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Ends the backup's queued or running work: a restore from it, or its creation.")
    static final class CancelBackup extends ClientCommand {
        @CommandLine.Parameters(paramLabel = "<backup>", description = "The backup's name or ID.")
        private String backup;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            String id = Resource.BACKUP.find(api, backup).path("id").asText();
            ObjectNode body = Json.object();
            body.putNull("cancel");
            api.post(Resource.BACKUP.path(id) + "/action", body);
            return 0;
        }
    }
}
