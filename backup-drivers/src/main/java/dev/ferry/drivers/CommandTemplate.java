package dev.ferry.drivers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mount or unmount command in Manila's template syntax, e.g.
 * {@code mount -vt %(proto)s %(options)s %(export)s %(path)s}. Rendering substitutes the keys and splits the
 * result on whitespace, as Manila does, so empty options vanish and {@code -o vers=4} becomes two arguments.
 * The command runs without a shell. A blank template means "local mode": nothing is mounted.
 */
public record CommandTemplate(String template) {

    public static final String PROTO = "proto";
    public static final String OPTIONS = "options";
    public static final String EXPORT = "export";
    public static final String PATH = "path";

    private static final Set<String> KEYS = Set.of(PROTO, OPTIONS, EXPORT, PATH);
    private static final Pattern PLACEHOLDER = Pattern.compile("%\\((\\w+)\\)s|%%");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public CommandTemplate {
        Objects.requireNonNull(template, "template");
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (matcher.group(1) != null && !KEYS.contains(matcher.group(1))) {
                throw new IllegalArgumentException("command template '" + template + "' uses %(" + matcher.group(1)
                        + ")s; the keys it may use are %(proto)s, %(options)s, %(export)s and %(path)s");
            }
        }
    }

    /** True for a blank template: local mode, where the export is a local folder used in place. */
    public boolean isLocal() {
        return template.isBlank();
    }

    /**
     * The command's arguments with the keys substituted. Only {@code options} may contain whitespace (it is
     * meant to expand to several arguments); a proto, export or path with whitespace would be split apart, so
     * it is refused.
     */
    public List<String> render(Map<String, String> values) {
        if (isLocal()) {
            throw new IllegalStateException("a blank command template has nothing to run (local mode)");
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            if (!value.getKey().equals(OPTIONS) && WHITESPACE.matcher(value.getValue()).find()) {
                throw new IllegalArgumentException("cannot put '" + value.getValue() + "' into %(" + value.getKey()
                        + ")s of '" + template + "': it contains whitespace, and the command is split on whitespace");
            }
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder substituted = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1) == null) {
                replacement = "%";
            } else {
                replacement = values.get(matcher.group(1));
                if (replacement == null) {
                    throw new IllegalArgumentException("command template '" + template + "' uses %("
                            + matcher.group(1) + ")s, which has no value here");
                }
            }
            matcher.appendReplacement(substituted, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(substituted);
        List<String> arguments = new ArrayList<>();
        for (String argument : WHITESPACE.split(substituted.toString().strip())) {
            if (!argument.isEmpty()) {
                arguments.add(argument);
            }
        }
        return List.copyOf(arguments);
    }
}
