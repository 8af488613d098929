package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.output.Format;
import dev.ferry.cli.output.Listing;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry jobs}: the api-gateway's job table, through the admin API. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Lists and shows jobs (restores and backup creations), with who held them and how each "
                + "attempt ended. Calls the admin API at FERRY_API_URL with FERRY_API_TOKEN (an admin's).",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.ShowJob.class})
final class JobsCommand implements Runnable {
    @CommandLine.Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @CommandLine.Spec
        private CommandSpec spec;

        @CommandLine.Option(names = "--status", paramLabel = "STATUS",
                description = "Only jobs in this status: queued, running, succeeded, failed or cancelled.")
        private String status;

        @CommandLine.Option(names = "--kind", paramLabel = "KIND",
                description = "Only jobs of this kind: restore_backup or create_backup.")
        private String kind;

        @CommandLine.Option(names = "--limit", paramLabel = "N", description = "At most N jobs (default 100).")
        private Integer limit;

        @CommandLine.Mixin
        private Operator.FormatOption format;

        @CommandLine.Mixin
        private ApiOptions api;

        @Override
        public Integer call() {
            boolean json = format.json();
            return Operator.run(spec, api, (client, out) -> {
                JsonNode answer = client.get("/admin/jobs" + query());
                if (json) {
                    Operator.printJson(out, answer);
                    return 0;
                }
                List<List<JsonNode>> rows = new ArrayList<>();
                for (JsonNode job : answer.path("jobs")) {
                    rows.add(Stream.of(Table.text(job, "id"), Table.text(job, "kind"), Table.text(job, "status"),
                            Table.text(job, "epoch"), Table.text(job, "node"), Table.text(job, "backup_id"),
                            Table.text(job, "share_id"), Table.time(job, "lease_expires_at"),
                            Table.time(job, "updated_at")).map(Operator::cell).toList());
                }
                format.rows(Listing.list(List.of("ID", "KIND", "STATUS", "EPOCH", "NODE", "BACKUP", "SHARE",
                        "LEASE UNTIL", "UPDATED"), rows), out, "No jobs found.");
                return 0;
            });
        }

        private String query() {
            List<String> params = new ArrayList<>();
            if (status != null) {
                params.add("status=" + ApiClient.encode(status));
            }
            if (kind != null) {
                params.add("kind=" + ApiClient.encode(kind));
            }
            if (limit != null) {
                params.add("limit=" + limit);
            }
            return params.isEmpty() ? "" : "?" + String.join("&", params);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows one job: its state, epoch, lease, and every attempt with its node, outcome and what "
                    + "it copied (files and bytes copied, and left alone because the target already held them).")
    static final class ShowJob implements Callable<Integer> {
        @CommandLine.Spec
        private CommandSpec spec;

        @CommandLine.Parameters(paramLabel = "JOB_ID", description = "The job's id (see ferry jobs list).")
        private String id;

        @CommandLine.Mixin
        private Operator.FormatOption format;

        @CommandLine.Mixin
        private ApiOptions api;

        @Override
        public Integer call() {
            boolean json = format.json();
            boolean table = format.format() == Format.TABLE;
            return Operator.run(spec, api, (client, out) -> {
                JsonNode answer = client.get("/admin/jobs/" + ApiClient.encode(id));
                if (json) {
                    Operator.printJson(out, answer);
                } else if (table) {
                    print(answer.path("job"), out);
                } else {
                    format.fields(answer.path("job"), out);
                }
                return 0;
            });
        }

        private static void print(JsonNode job, PrintWriter out) {
            Table fields = new Table("FIELD", "VALUE");
            fields.row("id", Table.text(job, "id"));
            fields.row("kind", Table.text(job, "kind"));
            fields.row("status", Table.text(job, "status"));
            fields.row("epoch", Table.text(job, "epoch"));
            fields.row("node", Table.text(job, "node"));
            fields.row("backup", Table.text(job, "backup_id"));
            fields.row("share", Table.text(job, "share_id"));
            fields.row("request id", Table.text(job, "request_id"));
            fields.row("lease until", Table.time(job, "lease_expires_at"));
            fields.row("created", Table.time(job, "created_at"));
            fields.row("updated", Table.time(job, "updated_at"));
            fields.row("detail", Table.text(job, "detail_id"));
            fields.row("reason", Table.text(job, "reason"));
            fields.print(out);
            out.println();
            Table attempts = new Table("EPOCH", "NODE", "STARTED", "ENDED", "OUTCOME", "FILES COPIED",
                    "FILES SKIPPED", "BYTES COPIED", "BYTES SKIPPED");
            for (JsonNode attempt : job.path("attempts")) {
                attempts.row(Table.text(attempt, "epoch"), Table.text(attempt, "node"),
                        Table.time(attempt, "started_at"), Table.time(attempt, "ended_at"),
                        Table.text(attempt, "outcome"), Table.text(attempt, "files_copied"),
                        Table.text(attempt, "files_skipped"), Table.text(attempt, "bytes_copied"),
                        Table.text(attempt, "bytes_skipped"));
            }
            if (attempts.isEmpty()) {
                out.println("No attempts yet: no data node has claimed this job.");
            } else {
                out.println("Attempts (times in UTC; '-' where the attempt reported no counts: it runs, or it ended "
                        + "without a report):");
                attempts.print(out);
            }
        }
    }
}
