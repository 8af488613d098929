package dev.ferry.messages;

/**
 * Keeps failure reasons short enough for a user message and the database: a reason longer than
 * {@link #MAX_CHARS} keeps its beginning (what failed) and its end (usually what to do), joined by an
 * ellipsis. Control characters (a tenant's file name may hold any byte but '/' and NUL) become spaces.
 */
public final class FailureReasons {

    /** Longest reason kept, in characters; well inside the 4,096-character columns that store reasons. */
    public static final int MAX_CHARS = 1000;
    private static final String ELLIPSIS = " … ";
    private static final int TAIL_CHARS = 300;

    private FailureReasons() {
    }

    /** {@code reason} with control characters replaced and shortened to at most {@link #MAX_CHARS}; null stays null. */
    public static String bound(String reason) {
        if (reason == null) {
            return null;
        }
        String clean = withoutControlCharacters(reason);
        if (clean.length() <= MAX_CHARS) {
            return clean;
        }
        int head = MAX_CHARS - ELLIPSIS.length() - TAIL_CHARS;
        return clean.substring(0, safeEnd(clean, head)) + ELLIPSIS
                + clean.substring(safeStart(clean, clean.length() - TAIL_CHARS));
    }

    private static String withoutControlCharacters(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append(' ');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** An end index that does not split a surrogate pair. */
    private static int safeEnd(String text, int end) {
        return end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
    }

    /** A start index that does not split a surrogate pair. */
    private static int safeStart(String text, int start) {
        return start < text.length() && Character.isLowSurrogate(text.charAt(start)) ? start + 1 : start;
    }
}
