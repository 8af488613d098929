package dev.ferry.drivers;

import com.sun.jna.Native;

import java.io.IOException;

/** A failed system call: which call, on which entry (as the copy names it), and the kernel's errno. */
final class Errno extends IOException {

    private final int errno;

    Errno(String call, String entry, int errno) {
        super(call + (entry == null ? "" : " '" + entry + "'") + ": " + describe(errno));
        this.errno = errno;
    }

    /** The exception for the call that just returned -1 on this thread. */
    static Errno last(String call, String entry) {
        return new Errno(call, entry, Native.getLastError());
    }

    int errno() {
        return errno;
    }

    boolean is(int code) {
        return errno == code;
    }

    static String describe(int errno) {
        String text = LibC.strerror(errno);
        return text == null || text.isEmpty() ? "errno " + errno : text.toLowerCase(java.util.Locale.ROOT);
    }
}
