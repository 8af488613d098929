package dev.ferry.drivers;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The names a backup or restore writes files under before renaming them into place:
 * {@code .ferry-<name>.<8 hex>} in the file's own folder (the name cut at 200 bytes), so that a file appears under
 * its real name only when complete, and what an interrupted attempt left behind can be recognised and removed by the
 * next one.
 */
final class TemporaryNames {

    private static final byte[] PREFIX = Names.of(".ferry-");
    private static final byte[] HEX = Names.of("0123456789abcdef");
    private static final int KEPT_NAME_BYTES = 200;

    private TemporaryNames() {
    }

    /** A fresh temporary name for {@code name}. */
    static byte[] of(byte[] name) {
        int kept = Math.min(name.length, KEPT_NAME_BYTES);
        byte[] temporary = new byte[PREFIX.length + kept + 9];
        System.arraycopy(PREFIX, 0, temporary, 0, PREFIX.length);
        System.arraycopy(name, 0, temporary, PREFIX.length, kept);
        temporary[PREFIX.length + kept] = '.';
        randomize(temporary);
        return temporary;
    }

    /** Draws new random digits for a name from {@link #of} (after a collision). */
    static void randomize(byte[] temporary) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = temporary.length - 8; i < temporary.length; i++) {
            temporary[i] = HEX[random.nextInt(16)];
        }
    }

    /** Whether {@code name} has the shape of a temporary name: {@code .ferry-} something {@code .} 8 hex digits. */
    static boolean isTemporary(byte[] name) {
        if (name.length < PREFIX.length + 1 + 9) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (name[i] != PREFIX[i]) {
                return false;
            }
        }
        if (name[name.length - 9] != '.') {
            return false;
        }
        for (int i = name.length - 8; i < name.length; i++) {
            byte b = name[i];
            if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code temporary} is a temporary name made for {@code name} (by any attempt). */
    static boolean isTemporaryFor(byte[] temporary, byte[] name) {
        int kept = Math.min(name.length, KEPT_NAME_BYTES);
        if (!isTemporary(temporary) || temporary.length != PREFIX.length + kept + 9) {
            return false;
        }
        for (int i = 0; i < kept; i++) {
            if (temporary[PREFIX.length + i] != name[i]) {
                return false;
            }
        }
        return true;
    }
}
