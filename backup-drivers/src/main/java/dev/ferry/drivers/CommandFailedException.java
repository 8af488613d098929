package dev.ferry.drivers;

import java.io.IOException;

/** An external command (mount, umount) could not run, exited non-zero, or timed out. */
public final class CommandFailedException extends IOException {

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
