package dev.ferry.data;

import dev.ferry.messages.FailureDetail;

/**
 * A job a test steers, which describes itself (activity, stall detail, whether it may have written its target) as
 * the real job of its grant's kind does ({@link JobRunner#jobFor}), so that what the runner says in its place is
 * what it says for that kind.
 */
abstract class JobOfItsKind implements Job {
    private final Job real;

    JobOfItsKind(JobContext context) {
        this.real = JobRunner.jobFor(context);
    }

    @Override
    public String activity() {
        return real.activity();
    }

    @Override
    public FailureDetail stallDetail() {
        return real.stallDetail();
    }

    @Override
    public boolean mayHaveWrittenTarget() {
        return real.mayHaveWrittenTarget();
    }
}
