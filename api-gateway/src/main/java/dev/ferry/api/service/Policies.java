package dev.ferry.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.messages.Json;
import dev.ferry.messages.RequestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policy in force: Manila's defaults ({@link Policy#defaultCheck()}), with the rules a policy file
 * overrides. Built once at start and given to the services; it never changes while running.
 */
public final class Policies {
    private final Map<Policy, PolicyCheck> checks;

    private Policies(Map<Policy, PolicyCheck> checks) {
        this.checks = checks;
    }

    /** Manila's defaults. */
    public static Policies defaults() {
        return withOverrides(Map.of());
    }

    /**
     * Manila's defaults, with the rules named in {@code overrides} (rule name to check string) replaced.
     * An IllegalArgumentException names the rule that is unknown or cannot be parsed.
     */
    public static Policies withOverrides(Map<String, String> overrides) {
        Map<Policy, PolicyCheck> checks = new EnumMap<>(Policy.class);
        for (Policy policy : Policy.values()) {
            checks.put(policy, PolicyCheck.parse(policy.defaultCheck()));
        }
        overrides.forEach((rule, check) -> {
            Policy policy = Policy.byRule(rule).orElseThrow(() -> new IllegalArgumentException("rule '" + rule
                    + "' is not one Ferry checks; known rules: " + Arrays.stream(Policy.values())
                    .map(Policy::rule).collect(Collectors.joining(", "))));
            try {
                checks.put(policy, PolicyCheck.parse(check));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rule '" + rule + "': " + e.getMessage(), e);
            }
        });
        return new Policies(checks);
    }

    /**
     * The defaults with the overrides of a JSON policy file: one object mapping rule names to check strings.
     * An IllegalArgumentException names FERRY_POLICY_FILE, the file, and the rule at fault.
     */
    public static Policies fromFile(Path file) {
        String where = "FERRY_POLICY_FILE " + file;
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " cannot be read as JSON: " + e.getMessage()
                    + "; give a JSON object such as {\"share_backup:create\": \"role:admin\"}", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + " is not a JSON object; give one such as "
                    + "{\"share_backup:create\": \"role:admin\"}");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new IllegalArgumentException(where + ": rule '" + field.getKey() + "' is not a string; "
                        + "give a check string such as \"role:admin or role:member\"");
            }
            overrides.put(field.getKey(), field.getValue().asText());
        }
        try {
            return withOverrides(overrides);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    public boolean allows(Policy policy, RequestContext caller) {
        return checks.get(policy).allows(caller.roles());
    }

    /** Passes, or answers 403 with webob's default text, as Manila does. */
    public void require(Policy policy, RequestContext caller) {
        if (!allows(policy, caller)) {
            throw ApiError.forbidden("Access was denied to this resource.");
        }
    }

    /**
     * Manila's {@code validate_public_share_policy} on create and manage: {@code is_public} true needs
     * {@code share:create_public_share} (admin only by default), else 403 with Manila's message.
     */
    public void requirePublicShareAllowed(RequestContext caller, boolean isPublic) {
        if (isPublic && !allows(Policy.SHARE_CREATE_PUBLIC, caller)) {
            throw ApiError.forbidden("User is not authorized to set 'is_public' to True in the request. Policy "
                    + Policy.SHARE_CREATE_PUBLIC.rule() + " does not allow it: leave 'is_public' out or false, or ask "
                    + "an administrator for a public share.");
        }
    }

    /** The check string in force for {@code policy}. */
    public String check(Policy policy) {
        return checks.get(policy).text();
    }
}
