package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.cli.output.Listing;
import dev.ferry.messages.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry share type ...}: share types, as {@code openstack share type ...} shows and makes them. */
@Command(name = "type", mixinStandardHelpOptions = true,
        description = "Lists, shows, creates (admins) and deletes (admins) share types.",
        subcommands = {ShareTypeCommand.ListTypes.class, ShareTypeCommand.ShowType.class,
            ShareTypeCommand.CreateType.class, ShareTypeCommand.DeleteType.class})
final class ShareTypeCommand implements Runnable {
    private static final String TYPES = "/v2/types";
    private static final String DHSS = "driver_handles_share_servers";
    static final List<String> COLUMNS = List.of("ID", "Name", "Visibility", "Is Default", "Required Extra Specs",
            "Optional Extra Specs", "Description");

    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The type {@code nameOrId} names: by id first, then by exact name among the types the caller sees. */
    static JsonNode find(ApiClient api, String nameOrId) throws ApiClient.ApiFailure {
        Optional<JsonNode> byId;
        try {
            byId = api.find(TYPES + "/" + ApiClient.encode(nameOrId)).map(answer -> answer.path("share_type"));
        } catch (ApiClient.ApiFailure e) {
            if (e.status() != 400) {
                throw e;
            }
            byId = Optional.empty();
        }
        if (byId.isPresent()) {
            return byId.get();
        }
        for (JsonNode type : list(api)) {
            if (nameOrId.equals(type.path("name").asText(null))) {
                return type;
            }
        }
        throw new ApiClient.ApiFailure("No share type with a name or ID of '" + nameOrId + "' exists.");
    }

    /** Every type the caller sees (admins: public and private ones). */
    static List<JsonNode> list(ApiClient api) throws ApiClient.ApiFailure {
        List<JsonNode> types = new ArrayList<>();
        api.get(TYPES + "?is_public=all").path("share_types").forEach(types::add);
        return types;
    }

    /** A type's row, as the OpenStack client prints it: specs as {@code key : value} lines. */
    static List<JsonNode> row(JsonNode type) {
        List<String> required = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = type.path("extra_specs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> spec = it.next();
            (DHSS.equals(spec.getKey()) ? required : optional).add(spec.getKey() + " : " + spec.getValue().asText());
        }
        return List.of(type.path("id"), type.path("name"), TextNode.valueOf(
                type.path("share_type_access:is_public").asBoolean(true) ? "public" : "private"),
                type.path("is_default"), TextNode.valueOf(String.join("\n", required)),
                TextNode.valueOf(String.join("\n", optional)), type.path("description"));
    }

    static Listing typeRecord(JsonNode type) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        List<JsonNode> row = row(type);
        for (int i = 0; i < COLUMNS.size(); i++) {
            fields.put(COLUMNS.get(i).toLowerCase(Locale.ROOT).replace(' ', '_'), row.get(i));
        }
        return Listing.record(fields);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the share types you may use.")
    static final class ListTypes extends ClientCommand {
        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            List<List<JsonNode>> rows = new ArrayList<>();
            for (JsonNode type : list(api)) {
                rows.add(row(type));
            }
            output.print(Listing.list(COLUMNS, rows), out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one share type.")
    static final class ShowType extends ClientCommand {
        @CommandLine.Parameters(paramLabel = "<share-type>", description = "The type's name or ID.")
        private String type;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            output.print(typeRecord(find(api, type)), out);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a share type (admins). Ferry's shares need no share servers: give false.")
    static final class CreateType extends ClientCommand {
        @CommandLine.Parameters(index = "0", paramLabel = "<name>", description = "The type's name.")
        private String name;

        @CommandLine.Parameters(index = "1", paramLabel = "<driver_handles_share_servers>",
                description = "true or false (Ferry: false).")
        private String dhss;

        @CommandLine.Option(names = "--description", paramLabel = "TEXT", description = "The type's description.")
        private String description;

        @CommandLine.Option(names = "--public", arity = "1", paramLabel = "true|false",
                description = "Whether every project may use it (default true); else see the access list.")
        private Boolean isPublic;

        @CommandLine.Option(names = "--extra-specs", paramLabel = "<key=value>", split = ",",
                description = "More extra specs, e.g. provisioning:max_share_size=100.")
        private List<String> extraSpecs = new ArrayList<>();

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            ObjectNode body = Json.object();
            ObjectNode type = body.putObject("share_type");
            type.put("name", name);
            if (description != null) {
                type.put("description", description);
            }
            if (isPublic != null) {
                type.put("share_type_access:is_public", isPublic);
            }
            ObjectNode specs = type.putObject("extra_specs");
            String handles = dhss.trim().toLowerCase(Locale.ROOT);
            if (!handles.equals("true") && !handles.equals("false")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "<driver_handles_share_servers> is true "
                        + "or false (Ferry's shares need no share servers: false), not '" + dhss + "'");
            }
            specs.put(DHSS, Boolean.parseBoolean(handles));
            for (String pair : extraSpecs) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--extra-specs takes key=value, "
                            + "not '" + pair + "'");
                }
                specs.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            output.print(typeRecord(api.post(TYPES, body).path("share_type")), out);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes share types (admins; a type that shares use is refused).")
    static final class DeleteType extends ClientCommand {
        @CommandLine.Parameters(arity = "1..*", paramLabel = "<share-type>", description = "Names or IDs of types.")
        private List<String> types;

        @Override
        int run(ApiClient api, PrintWriter out) throws ApiClient.ApiFailure {
            for (String type : types) {
                api.delete(TYPES + "/" + ApiClient.encode(find(api, type).path("id").asText()));
            }
            return 0;
        }
    }
}
