package dev.ferry.data;

/**
 * The reason a job fails with when something it did not expect escapes it: an {@link OutOfMemoryError} or another
 * {@link Error}, or a {@link RuntimeException} (a bug). It names the error, what the job was doing, and what to do.
 */
final class UnexpectedFailure {

    private UnexpectedFailure() {
    }

    /**
     * @param activity  what the job was doing ({@link Job#activity})
     * @param lastStep  what it reported at its last progress ({@code Cancellation.lastProgressAt})
     * @param requestId the request whose log lines tell more
     */
    static String reason(Throwable error, String activity, String lastStep, String requestId) {
        String during = activity + " (its last step: " + lastStep + ")";
        if (error instanceof OutOfMemoryError) {
            return "The data node ran out of memory (" + error + ") while " + during + "; raise the node's heap "
                    + "(-Xmx in the java command line, or FERRY_JAVA_OPTS=-Xmx… for ./ferry), or lower "
                    + "FERRY_DATA_CONCURRENCY or FERRY_COPY_THREADS, then try again";
        }
        if (error instanceof StackOverflowError) {
            return "The data node ran out of stack (" + error + ") while " + during + "; this is a bug in Ferry: "
                    + "report it with the data node's log of request " + requestId + " (a deeper stack, -Xss, may "
                    + "get around it)";
        }
        return "The data node failed unexpectedly (" + error + ") while " + during + "; this is a bug in Ferry: "
                + "report it with the data node's log of request " + requestId + ", then try again";
    }
}
