package dev.ferry.api.parked;

/** The broker could not be reached or refused an operation; nothing was changed. */
public final class BrokerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
