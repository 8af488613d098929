package dev.ferry.drivers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * File names as the kernel has them: bytes, any but '/' and NUL. Ferry passes them back to the kernel
 * unchanged (a name that is not UTF-8 is copied exactly) and decodes them only for messages.
 */
final class Names {

    private Names() {
    }

    /** The UTF-8 bytes of a name Ferry chose or was given as text. */
    static byte[] of(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** The name NUL-terminated, for a system call. */
    static byte[] c(byte[] name) {
        return Arrays.copyOf(name, name.length + 1);
    }

    /** The name for a message (invalid UTF-8 shows as U+FFFD). */
    static String display(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** True for "." and "..", which a directory listing holds and a walk skips. */
    static boolean isDotOrDotDot(byte[] name) {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }

    /**
     * Refuses what cannot be one entry of a directory: empty, ".", "..", or holding '/' or NUL. Every call on a
     * {@link DirHandle} names one entry, so this is what keeps it inside its directory.
     */
    static byte[] requireSingle(byte[] name) throws UnsafePathException {
        if (name.length == 0 || isDotOrDotDot(name)) {
            throw new UnsafePathException("refusing the name '" + display(name) + "': it does not name an entry "
                    + "inside a folder");
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                throw new UnsafePathException("refusing the name '" + display(name) + "': it holds '/' or NUL");
            }
        }
        return name;
    }
}
