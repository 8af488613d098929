package dev.ferry.data;

/** The api-gateway says this node no longer holds the job (oslo failure {@code LeaseLost}). */
final class LeaseLostException extends Exception {
    private static final long serialVersionUID = 1L;

    LeaseLostException(String reason) {
        super(reason);
    }
}
