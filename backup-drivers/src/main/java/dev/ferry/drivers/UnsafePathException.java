package dev.ferry.drivers;

import java.io.IOException;

/** A path would lead outside the folder a copy may write to. */
public final class UnsafePathException extends IOException {

    public UnsafePathException(String message) {
        super(message);
    }
}
