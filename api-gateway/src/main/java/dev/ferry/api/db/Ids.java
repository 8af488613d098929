package dev.ferry.api.db;

/**
 * Whether a path or query value could be a row's ID at all (IDs are at most 36 characters, without control
 * characters). Anything else is simply not found, as in Manila, and never reaches the database.
 */
public final class Ids {
    private static final int LONGEST = 36;

    private Ids() {
    }

    public static boolean plausible(String id) {
        if (id == null || id.isEmpty() || id.length() > LONGEST) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
