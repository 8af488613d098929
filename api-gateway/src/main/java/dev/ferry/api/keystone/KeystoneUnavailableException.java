package dev.ferry.api.keystone;

/** Keystone could not be asked (unreachable, timed out, a 5xx, or Ferry's service user refused): not the caller's fault. */
public final class KeystoneUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeystoneUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public KeystoneUnavailableException(String message) {
        super(message);
    }
}
