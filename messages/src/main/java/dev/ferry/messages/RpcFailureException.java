package dev.ferry.messages;

/** Raised by an RPC handler (and by a caller that received a failure reply) with the oslo failure. */
public class RpcFailureException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient RemoteFailure failure;

    public RpcFailureException(RemoteFailure failure) {
        super(failure.className() + ": " + failure.message());
        this.failure = failure;
    }

    public RemoteFailure failure() {
        return failure;
    }
}
