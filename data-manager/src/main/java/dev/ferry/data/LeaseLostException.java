package dev.ferry.data;

/**
 * The api-gateway says this node no longer holds the job (oslo failure {@code LeaseLost}); {@code endedByApi} when
 * Ferry's API ended the job (a cancel, or a fence before an admin's reset_status), so what it made is discarded.
 */
final class LeaseLostException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean endedByApi;

    LeaseLostException(String reason) {
        this(reason, false);
    }

    LeaseLostException(String reason, boolean endedByApi) {
        super(reason);
        this.endedByApi = endedByApi;
    }

    boolean endedByApi() {
        return endedByApi;
    }
}
