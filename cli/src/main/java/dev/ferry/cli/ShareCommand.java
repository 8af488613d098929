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

/** {@code ferry share ...}: shares through Manila's API, as {@code openstack share ...} handles them. */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Lists, shows, creates and deletes shares, (ferry share backup) their backups and (ferry share "
                + "type) share types, through "
                + "Manila's API at FERRY_API_URL (or --url) with FERRY_API_TOKEN (or --token).",
        subcommands = {ShareCommand.ListShares.class, ShareCommand.ShowShare.class, ShareCommand.CreateShare.class,
            ShareCommand.DeleteShare.class, ShareBackupCommand.class, ShareTypeCommand.class})
final class ShareCommand implements Runnable {
    static final List<String> LIST_COLUMNS = List.of("ID", "Name", "Size", "Share Proto", "Status", "Is Public",
            "Share Type Name", "Host", "Availability Zone");
    private static final List<String> LIST_FIELDS = List.of("id", "name", "size", "share_proto", "status",
            "is_public", "share_type_name", "host", "availability_zone");

    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A share as {@code openstack share show} prints it: its fields, and its export locations' paths. */
    static Listing show(ApiClient api, JsonNode share) throws ApiClient.ApiFailure {
        ObjectNode shown = share.deepCopy();
        List<String> paths = new ArrayList<>();
        api.find(Resource.SHARE.path(share.path("id").asText()) + "/export_locations").ifPresent(answer ->
                answer.path("export_locations").forEach(location -> paths.add(location.path("path").asText())));
        shown.set("export_locations", Json.mapper().valueToTree(paths));
        return ClientCommand.record(shown);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the shares you see.")
    static final class ListShares extends ClientCommand {
        @CommandLine.Option(names = "--name", paramLabel = "NAME", description = "Only shares with this name.")
        private String name;

        @CommandLine.Option(names = "--status", paramLabel = "STATUS", description = "Only shares in this status.")
        private String status;

        @CommandLine.Option(names = "--all-projects", description = "Shares of every project (admins).")
        private boolean allProjects;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            List<String> query = new ArrayList<>();
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
            for (JsonNode share : Resource.SHARE.list(api, String.join("&", query))) {
                rows.add(LIST_FIELDS.stream().map(field -> share.path(field)).map(v -> v.isMissingNode() ? null : v)
                        .toList());
            }
            output.print(Listing.list(LIST_COLUMNS, rows), out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one share.")
    static final class ShowShare extends ClientCommand {
        @CommandLine.Parameters(paramLabel = "<share>", description = "The share's name or ID.")
        private String share;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            output.print(show(api, Resource.SHARE.find(api, share)), out);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a share: a new folder under the api-gateway's FERRY_SHARE_BASE_EXPORT, empty or, "
                    + "with --backup-id, holding a backup's content.")
    static final class CreateShare extends ClientCommand {
        @CommandLine.Parameters(index = "0", paramLabel = "<share_protocol>", description = "NFS or CIFS.")
        private String protocol;

        @CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "<size>",
                description = "Size in GiB (with --backup-id: at least the backup's; default the backup's).")
        private Integer size;

        @CommandLine.Option(names = "--name", paramLabel = "NAME", description = "The share's name.")
        private String name;

        @CommandLine.Option(names = "--description", paramLabel = "TEXT", description = "The share's description.")
        private String description;

        @CommandLine.Option(names = "--public", arity = "1", paramLabel = "true|false",
                description = "Whether other projects see the share (admins).")
        private Boolean isPublic;

        @CommandLine.Option(names = "--backup-id", paramLabel = "<backup>",
                description = "Fill the new share from this backup (name or ID).")
        private String backup;

        @CommandLine.Option(names = "--share-type", paramLabel = "<share-type>",
                description = "The share type (name or ID); default: the api-gateway's default type, if any.")
        private String shareType;

        @CommandLine.Option(names = "--wait", description = "Wait until the share is available (or failed).")
        private boolean wait;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            if (size == null && backup == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give the share's <size> in GiB (only a share made from a backup may leave it out)");
            }
            ObjectNode body = Json.object();
            ObjectNode share = body.putObject("share");
            share.put("share_proto", protocol);
            if (size != null) {
                share.put("size", size);
            }
            if (name != null) {
                share.put("name", name);
            }
            if (description != null) {
                share.put("description", description);
            }
            if (isPublic != null) {
                share.put("is_public", isPublic);
            }
            if (shareType != null) {
                share.put("share_type", shareType);
            }
            if (backup != null) {
                share.put("backup_id", Resource.BACKUP.find(api, backup).path("id").asText());
            }
            JsonNode created = Resource.SHARE.unwrap(api.post(Resource.SHARE.collection(), body));
            String id = created.path("id").asText();
            if (wait) {
                UserMessages messages = UserMessages.none(api, id);
                Waiter.Outcome outcome = waiter().await(() -> state(api, id), progress());
                if (outcome == Waiter.Outcome.FAILED) {
                    String status = Resource.SHARE.byId(api, id).map(s -> s.path("status").asText()).orElse("gone");
                    return failed(spec.commandLine().getErr(), "creating share " + id, messages.newest(),
                            "share " + status);
                }
                created = Resource.SHARE.byId(api, id).orElse(created);
            }
            output.print(show(api, created), out);
            return 0;
        }

        private static Waiter.State state(ApiClient api, String id) throws ApiClient.ApiFailure {
            Optional<JsonNode> share = Resource.SHARE.byId(api, id);
            if (share.isEmpty()) {
                return new Waiter.State(null, Waiter.Outcome.FAILED);
            }
            String status = share.get().path("status").asText();
            Integer percent = Waiter.percent(share.get().path("progress").asText(null));
            return switch (status) {
                case "available" -> new Waiter.State(100, Waiter.Outcome.SUCCEEDED);
                case "creating", "creating_from_snapshot" -> Waiter.State.running(percent);
                default -> new Waiter.State(percent, Waiter.Outcome.FAILED);
            };
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes shares (a share with backups is refused).")
    static final class DeleteShare extends ClientCommand {
        @CommandLine.Parameters(arity = "1..*", paramLabel = "<share>", description = "Names or IDs of shares.")
        private List<String> shares;

        @CommandLine.Option(names = "--wait", description = "Wait until each share is gone.")
        private boolean wait;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            return deleteEach(api, Resource.SHARE, "share", shares, wait);
        }
    }
}
