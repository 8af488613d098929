package dev.ferry.api.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An export path as Ferry compares them: {@code host:/path} (the host in lower case, an IPv6 address in its
 * full form) or a local folder ({@code host} null), with duplicate slashes collapsed and no trailing slash.
 * Two exports overlap when they are on the same host (or both local) and one equals or contains the other.
 */
public record ExportPath(String host, String path) {
    /** What {@link #parse} accepts, for messages that refuse something else. */
    public static final String EXPECTED = "Give host:/absolute/path (the host a name, an IPv4 address, or an IPv6 "
            + "address in brackets such as [fd00::1]:/export) or an absolute local path such as /srv/exports/a.";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** A local folder. */
    public boolean isLocal() {
        return host == null;
    }

    /** Whether the two are on the same host (or both local) and one equals, lies inside or contains the other. */
    public boolean overlaps(ExportPath other) {
        if (host == null ? other.host != null : !host.equals(other.host)) {
            return false;
        }
        return within(path, other.path) || within(other.path, path);
    }

    /** {@code inner} equals {@code outer} or lies inside it (both normalised). */
    private static boolean within(String inner, String outer) {
        return inner.equals(outer) || inner.startsWith(outer.equals("/") ? "/" : outer + "/");
    }

    /** As written: {@code host:/path}, {@code [v6]:/path} or {@code /path}. */
    @Override
    public String toString() {
        if (host == null) {
            return path;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + path;
    }

    /**
     * {@code text} read strictly, as {@code manage} takes it; an IllegalArgumentException says what is wrong
     * with it (not what is expected: that is {@link #EXPECTED}).
     */
    public static ExportPath parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("it is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("it contains whitespace or a control character (at position "
                        + (i + 1) + ")");
            }
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("it starts with '-', which a mount command would read as an option "
                    + "(such as --bind)");
        }
        if (text.startsWith("/")) {
            return new ExportPath(null, normalise(text));
        }
        String host;
        String path;
        if (text.startsWith("[")) {
            int end = text.indexOf("]:");
            if (end < 0) {
                throw new IllegalArgumentException("an IPv6 address in brackets must be followed by ':' and the path");
            }
            host = ipv6(text.substring(1, end));
            path = text.substring(end + 2);
        } else {
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("it is a relative path");
            }
            host = text.substring(0, colon);
            path = text.substring(colon + 1);
            int slash = path.indexOf('/');
            if ((slash < 0 ? path : path.substring(0, slash)).indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 address must be written in brackets");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not a host name or an IPv4 address");
            }
            host = host.toLowerCase(Locale.ROOT);
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("the path after the host is empty");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path after the host is relative");
        }
        return new ExportPath(host, normalise(path));
    }

    /**
     * A configured export (FERRY_SHARE_BASE_EXPORT, FERRY_BACKUP_EXPORT): read like {@link #parse}, except that a
     * relative local folder is taken from the working directory, as a data node takes it. Null stays null.
     */
    public static ExportPath ofSetting(String name, String value) {
        if (value == null) {
            return null;
        }
        String text = value;
        if (!text.isEmpty() && !text.startsWith("/") && !text.startsWith("-") && !text.startsWith("[")
                && text.indexOf(':') < 0) {
            text = Path.of(text).toAbsolutePath().normalize().toString();
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not an export path: " + e.getMessage()
                    + ". " + EXPECTED);
        }
    }

    /** Every component kept, duplicate slashes collapsed, no trailing slash; '.' and '..' are refused. */
    private static String normalise(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("it has a '" + part + "' component");
            }
            out.append('/').append(part);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** The address in its full lower-case form, so that [FD00::1] and [fd00:0::1] compare equal. */
    private static String ipv6(String literal) {
        if (!IPV6.matcher(literal).matches()) {
            throw new IllegalArgumentException("'[" + literal + "]' is not an IPv6 address");
        }
        try {
            // a bracketed literal is parsed, never looked up
            return InetAddress.getByName("[" + literal + "]").getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'[" + literal + "]' is not an IPv6 address");
        }
    }
}
