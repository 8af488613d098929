package dev.ferry.data;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The jobs this node runs and recently ran, across its slots, by job id and epoch. The api-gateway
 * gives a lost grant again to the node that holds the job, so after a reconnect the same cast can
 * reach this node twice, even after the job finished here but before its success was applied; this
 * makes the second delivery a no-op instead of a second writer or a second copy.
 */
final class RunningJobs {
    private static final int REMEMBERED = 10_000;
    private final Set<String> running = new HashSet<>();
    private final Map<String, Boolean> finished = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** False when this job, at this epoch, already runs or ran on this node. */
    synchronized boolean start(String jobId, long epoch) {
        if (running.contains(jobId) || finished.containsKey(jobId + "@" + epoch)) {
            return false;
        }
        running.add(jobId);
        return true;
    }

    synchronized void finish(String jobId, long epoch) {
        running.remove(jobId);
        finished.put(jobId + "@" + epoch, Boolean.TRUE);
    }
}
