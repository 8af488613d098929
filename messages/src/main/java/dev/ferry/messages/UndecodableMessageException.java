package dev.ferry.messages;

/** A delivery that cannot become an {@link RpcRequest} or {@link RpcReply}; the reason says why. */
public final class UndecodableMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UndecodableMessageException(String reason) {
        super(reason);
    }

    public UndecodableMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
