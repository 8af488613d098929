package dev.ferry.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.db.JobRepository;
import dev.ferry.api.model.JobStatus;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.JobQueries;
import dev.ferry.messages.JobKind;
import dev.ferry.messages.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /admin/jobs} and {@code GET /admin/jobs/{id}}: the job table with each job's attempts. */
public final class AdminJobRoutes {
    private final JobQueries jobs;
    private final int maxPageSize;

    /** A list holds at most {@code maxPageSize} jobs (FERRY_MAX_PAGE_SIZE), whatever {@code limit} asks. */
    public AdminJobRoutes(JobQueries jobs, int maxPageSize) {
        this.jobs = jobs;
        this.maxPageSize = maxPageSize;
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin/jobs", AdminAccess.only(this::list));
        routes.get("/admin/jobs/{job_id}", AdminAccess.only(this::show));
    }

    private void list(Context ctx) {
        JobRepository.Filter filter = new JobRepository.Filter(status(ctx.queryParam("status")),
                kind(ctx.queryParam("kind")), Math.min(limit(ctx.queryParam("limit")), maxPageSize));
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("jobs");
        jobs.list(filter).forEach(record -> items.add(JobView.of(record)));
        Responses.json(ctx, 200, out);
    }

    private void show(Context ctx) {
        ObjectNode out = Json.object();
        out.set("job", JobView.of(jobs.get(ctx.pathParam("job_id"))));
        Responses.json(ctx, 200, out);
    }

    private static JobStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return JobStatus.fromWire(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Invalid status '" + value + "': use queued, running, succeeded, failed or cancelled.");
        }
    }

    private static JobKind kind(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return JobKind.fromWire(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Invalid kind '" + value + "': use one of " + java.util.Arrays.stream(
                    JobKind.values()).map(JobKind::wireName).collect(java.util.stream.Collectors.joining(", ")) + ".");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return JobQueries.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= JobQueries.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.badRequest("Invalid limit '" + value + "': use a whole number from 1 to " + JobQueries.MAX_LIMIT
                + " (default " + JobQueries.DEFAULT_LIMIT + ").");
    }
}
