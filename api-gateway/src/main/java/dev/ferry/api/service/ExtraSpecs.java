package dev.ferry.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Manila's share type extra specs ({@code manila/share/share_types.py}, {@code constants.ExtraSpecs}): the one
 * required spec {@code driver_handles_share_servers}, the standard optional ones and how their values are checked,
 * and which specs non-admins see. Values are kept as Manila keeps them: strings ({@code true} becomes "True").
 */
public final class ExtraSpecs {
    public static final String DHSS = "driver_handles_share_servers";
    public static final String SNAPSHOT_SUPPORT = "snapshot_support";
    public static final String MIN_SIZE = "provisioning:min_share_size";
    public static final String MAX_SIZE = "provisioning:max_share_size";
    public static final String MAX_EXTEND_SIZE = "provisioning:max_share_extend_size";
    /** Specs a user sees (the rest only admins): the required and the standard optional ones. */
    private static final Set<String> OPTIONAL_BOOLEAN = Set.of(SNAPSHOT_SUPPORT, "create_share_from_snapshot_support",
            "revert_to_snapshot_support", "mount_snapshot_support", "mount_point_name_support",
            "snapshot_inherit_share_access_support");
    private static final Set<String> OPTIONAL = Set.of(SNAPSHOT_SUPPORT, "create_share_from_snapshot_support",
            "revert_to_snapshot_support", "replication_type", "mount_snapshot_support", "mount_point_name_support",
            "snapshot_inherit_share_access_support", "availability_zones", "encryption_support", MAX_SIZE, MIN_SIZE,
            MAX_EXTEND_SIZE, "provisioning:mount_point_prefix", "default_qos_type");
    /** What a non-admin sees for an optional spec the type does not set (from 2.24), as Manila infers it. */
    public static final List<String> INFERRED_FALSE = List.of(SNAPSHOT_SUPPORT, "create_share_from_snapshot_support",
            "revert_to_snapshot_support", "mount_snapshot_support");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final Pattern IS_BOOLEAN = Pattern.compile("^<is>\\s*(true|false)$", Pattern.CASE_INSENSITIVE);
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");
    private static final int LONGEST = 255;

    private ExtraSpecs() {
    }

    /** Whether users (not only admins) see this spec in a type's view. */
    public static boolean tenantVisible(String key) {
        return DHSS.equals(key) || OPTIONAL.contains(key);
    }

    /**
     * A JSON object of specs as strings, each key and value checked as Manila checks them when specs are set
     * ({@code POST /types/{id}/extra_specs}, {@code PUT /types/{id}/extra_specs/{key}}) or a type is created; 400
     * naming the spec at fault otherwise.
     */
    public static Map<String, String> read(JsonNode specs) {
        if (specs == null || specs.isNull()) {
            return Map.of();
        }
        if (!specs.isObject()) {
            throw ApiError.badRequest("Invalid extra_specs " + specs + ": give an object of key: value pairs, e.g. "
                    + "{\"" + DHSS + "\": \"False\"}.");
        }
        Map<String, String> read = new LinkedHashMap<>();
        specs.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String text;
            if (value.isBoolean()) {
                text = value.booleanValue() ? "True" : "False";
            } else if (value.isTextual()) {
                text = value.asText();
            } else if (value.isIntegralNumber()) {
                text = value.asText();
            } else {
                throw invalid(key, value.toString());
            }
            if (key.isEmpty() || key.length() > LONGEST || text.isEmpty() || text.length() > LONGEST) {
                throw invalid(key, text);
            }
            if (!KEY_NAME.matcher(key).matches()) {
                throw ApiError.badRequest("Key names can only contain alphanumeric characters, underscores, periods, "
                        + "colons and hyphens.");
            }
            if (DHSS.equals(key) && bool(text) == null) {
                throw ApiError.badRequest("Invalid extra_spec: Value of required extra_spec " + DHSS
                        + " is not valid. Use True or False.");
            }
            if (!validOptional(key, text)) {
                throw ApiError.badRequest("Invalid extra_spec: Value of optional extra_spec " + key
                        + " is not valid: '" + text + "'.");
            }
            read.put(key, text);
        });
        return read;
    }

    /** A new type's specs must name driver_handles_share_servers (400 as Manila's, otherwise). */
    public static void requireRequired(Map<String, String> specs) {
        if (!specs.containsKey(DHSS)) {
            throw ApiError.badRequest("Invalid extra_spec: Required extra specs '" + DHSS + "' not specified. "
                    + "Add \"" + DHSS + "\": \"False\" (Ferry's shares need no share servers) to extra_specs.");
        }
    }

    /** The specs of a type that are required: driver_handles_share_servers, as set. */
    public static Map<String, String> required(Map<String, String> specs) {
        return specs.containsKey(DHSS) ? Map.of(DHSS, specs.get(DHSS)) : Map.of();
    }

    /** oslo's {@code bool_from_string} (not strict): true, false, or null for neither. */
    public static Boolean bool(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(value)) {
            return true;
        }
        return FALSE.contains(value) ? false : null;
    }

    /** A size limit spec's value, or null when the spec is not set. */
    public static Integer size(Map<String, String> specs, String key) {
        String value = specs.get(key);
        return value == null ? null : Integer.valueOf(value.trim());
    }

    private static boolean validOptional(String key, String value) {
        if (OPTIONAL_BOOLEAN.contains(key)) {
            Matcher is = IS_BOOLEAN.matcher(value.trim());
            String plain = is.matches() ? is.group(1) : value.trim();
            return TRUE.contains(plain.toLowerCase(Locale.ROOT)) || FALSE.contains(plain.toLowerCase(Locale.ROOT));
        }
        return switch (key) {
            case "replication_type" -> Set.of("writable", "readable", "dr").contains(value);
            case "encryption_support" -> Set.of("share", "share_server").contains(value);
            case "availability_zones" -> java.util.Arrays.stream(value.split(",", -1)).noneMatch(String::isBlank);
            case MAX_SIZE, MIN_SIZE, MAX_EXTEND_SIZE -> value.trim().matches("0*[1-9]\\d{0,8}");
            default -> true;
        };
    }

    private static ApiError invalid(String key, String value) {
        return ApiError.badRequest("Invalid extra_spec: " + key + ": " + value + ". Keys and values are strings of "
                + "1 to " + LONGEST + " characters (or a boolean value).");
    }
}
