package dev.ferry.drivers;

import java.io.IOException;

/** Unwinds a copy's thread after a {@link StopSignal}; never reaches callers of {@link TreeCopier}. */
final class CopyStoppedException extends IOException {

    CopyStoppedException() {
        super("copy stopped");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // control flow, not an error: no stack trace needed
    }
}
