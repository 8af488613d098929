package dev.ferry.api.service;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.JobRepository;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.model.Job;
import dev.ferry.api.model.JobAttempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The admin view of the job table: jobs with every attempt (who held them, how each hold ended). */
public final class JobQueries {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 100_000;
    private final Database db;
    private final Repositories repos;

    public JobQueries(Repositories repos) {
        this.repos = repos;
        this.db = repos.database();
    }

    /** A job and its attempts, oldest attempt first. */
    public record JobRecord(Job job, List<JobAttempt> attempts) {
    }

    /** Newest first, as the filter narrows them. */
    public List<JobRecord> list(JobRepository.Filter filter) {
        return db.read(c -> {
            List<Job> jobs = repos.jobs().list(c, filter);
            Map<String, List<JobAttempt>> attempts = repos.attempts().forJobs(c, jobs.stream().map(Job::id).toList());
            List<JobRecord> records = new ArrayList<>();
            for (Job job : jobs) {
                records.add(new JobRecord(job, attempts.getOrDefault(job.id(), List.of())));
            }
            return records;
        });
    }

    public JobRecord get(String id) {
        return db.read(c -> {
            Job job = repos.jobs().find(c, id).orElseThrow(() -> ApiError.notFound("Job " + id
                    + " could not be found. List jobs with GET /admin/jobs."));
            return new JobRecord(job, repos.attempts().forJob(c, id));
        });
    }
}
