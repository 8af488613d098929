package dev.ferry.data;

/**
 * How a data node ends its process when it cannot go on: a job's thread it cannot stop (stuck in the kernel on a
 * dead NFS mount) is freed only by a new process, which the node's supervisor (systemd, Kubernetes) starts when
 * this one exits with a non-zero status.
 */
@FunctionalInterface
public interface NodeExit {
    /** Ends the process with {@code status}; returns only in tests. */
    void exit(int status);

    /**
     * Ends the JVM at once ({@link Runtime#halt}). The node has drained and disconnected before; shutdown hooks are
     * skipped because the one of {@code ferry data-manager} would close the node again and wait on it.
     */
    static NodeExit halt() {
        return status -> Runtime.getRuntime().halt(status);
    }
}
