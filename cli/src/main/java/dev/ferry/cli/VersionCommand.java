package dev.ferry.cli;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.ferry.cli.output.Listing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry version}: the version and the git commit of this jar. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Prints Ferry's version and the git commit it was built from.")
final class VersionCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandSpec spec;

    @CommandLine.Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "table, json, value, yaml or csv (fields version and commit); default one line.")
    private String format;

    @CommandLine.Option(names = {"-c", "--column"}, paramLabel = "COLUMN", description = "Only this field.")
    private java.util.List<String> columns = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        BuildInfo build = BuildInfo.load();
        if (format == null && columns.isEmpty()) {
            spec.commandLine().getOut().println(build.line());
        } else {
            Map<String, com.fasterxml.jackson.databind.JsonNode> fields = new LinkedHashMap<>();
            fields.put("version", TextNode.valueOf(build.version()));
            fields.put("commit", TextNode.valueOf(build.commit()));
            try {
                dev.ferry.cli.output.Format.named(format == null ? "table" : format)
                        .print(Listing.record(fields).select(columns), spec.commandLine().getOut());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
