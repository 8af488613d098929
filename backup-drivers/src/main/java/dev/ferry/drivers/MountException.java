package dev.ferry.drivers;

import java.io.IOException;

/** The backup repository or a share could not be made available on this node (mount failed). */
final class MountException extends IOException {

    MountException(String message, Throwable cause) {
        super(message, cause);
    }
}
