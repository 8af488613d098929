package dev.ferry.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunningJobsTest {
    private final RunningJobs jobs = new RunningJobs();

    @Test
    void aJobRunsOncePerEpochOnANode() {
        assertTrue(jobs.start("j1", 1));
        assertFalse(jobs.start("j1", 1), "a duplicate delivery while it runs is dropped");
        assertFalse(jobs.start("j1", 2), "never two writers of one job on a node");
        jobs.finish("j1", 1);
        assertFalse(jobs.start("j1", 1), "a duplicate delivery after it ran is dropped");
        assertTrue(jobs.start("j1", 3), "a re-dispatch at a new epoch runs");
        assertTrue(jobs.start("j2", 1));
    }
}
