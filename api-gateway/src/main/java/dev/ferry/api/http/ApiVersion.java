package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Manila API microversion, as {@code X-OpenStack-Manila-API-Version} gives it. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public static final ApiVersion MIN = new ApiVersion(2, 0);
    public static final ApiVersion MAX = new ApiVersion(2, 91);
    /** The share backup API. */
    public static final ApiVersion BACKUPS = new ApiVersion(2, 80);
    /** {@code backup_type} in the backup detail view. */
    public static final ApiVersion BACKUP_TYPE = new ApiVersion(2, 85);
    /** Restore into a target share. */
    public static final ApiVersion TARGETED_RESTORE = new ApiVersion(2, 91);
    /** {@code GET /v2/shares/{id}/export_locations}. */
    public static final ApiVersion EXPORT_LOCATIONS = new ApiVersion(2, 9);
    /** {@code /v2/messages}. */
    public static final ApiVersion MESSAGES = new ApiVersion(2, 37);
    private static final Pattern FORMAT = Pattern.compile("^([1-9]\\d*)\\.([1-9]\\d*|0)$");

    /** The requested version: none means 2.0, "latest" the maximum; malformed 400, unsupported 406. */
    public static ApiVersion fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return MIN;
        }
        String text = header.trim();
        if (text.equalsIgnoreCase("latest")) {
            return MAX;
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw ApiError.badRequest("API Version String " + text
                    + " is of invalid format. Must be of format MajorNum.MinorNum.");
        }
        ApiVersion version;
        try {
            version = new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("API Version String " + text
                    + " is of invalid format. Must be of format MajorNum.MinorNum.");
        }
        if (version.compareTo(MIN) < 0 || version.compareTo(MAX) > 0) {
            throw new ApiError(406, "Version " + version + " is not supported by the API. Minimum is " + MIN
                    + " and maximum is " + MAX + ".");
        }
        return version;
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(ApiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
