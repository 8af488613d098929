package dev.ferry.drivers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps mount options out of the texts a failed command becomes (job reasons, user messages, logs): options may
 * carry credentials ({@code -o username=svc,password=...}, {@code sec=krb5,...}). {@link #apply} replaces the
 * options as a whole, each of their words and each comma-separated option in them with {@value #PLACEHOLDER}, so
 * that {@code mount -vt nfs -o vers=4,password=x host:/e /mnt/p} reads
 * {@code mount -vt nfs <options> host:/e /mnt/p}, and a mount helper that repeats an option in its output is
 * masked too. The rest of the command stays, so an operator can still see what failed.
 */
final class MountOptionsMask {
    static final String PLACEHOLDER = "<options>";
    /** Nothing to mask: the options were empty. */
    static final MountOptionsMask NONE = new MountOptionsMask(List.of());
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** What may not touch a masked option on either side: it must stand as a word of its own. */
    private static final String WORD = "[\\p{Alnum}_.=/@:+~-]";

    private final List<Pattern> patterns;

    private MountOptionsMask(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** The mask of {@code options} (a template's %(options)s value, e.g. {@code -o vers=4,sec=sys}). */
    static MountOptionsMask of(String options) {
        if (options == null || options.isBlank()) {
            return NONE;
        }
        Set<String> secrets = new LinkedHashSet<>();
        List<String> words = List.of(WHITESPACE.split(options.strip()));
        secrets.add(String.join(" ", words));
        for (String word : words) {
            if (!isFlag(word)) {
                secrets.add(word);
                for (String option : word.split(",")) {
                    if (!option.isEmpty() && !isFlag(option)) {
                        secrets.add(option);
                    }
                }
            }
        }
        List<String> longestFirst = new ArrayList<>(secrets);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        List<Pattern> patterns = new ArrayList<>();
        for (String secret : longestFirst) {
            patterns.add(Pattern.compile("(?<!" + WORD + ")" + Pattern.quote(secret) + "(?!" + WORD + ")"));
        }
        return new MountOptionsMask(List.copyOf(patterns));
    }

    /** {@code text} with the options masked; null stays null. */
    String apply(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (Pattern pattern : patterns) {
            masked = pattern.matcher(masked).replaceAll(Matcher.quoteReplacement(PLACEHOLDER));
        }
        return masked;
    }

    /** A switch such as {@code -o} or {@code -v}: not secret, and masking it would garble the command. */
    private static boolean isFlag(String word) {
        return word.matches("--?[A-Za-z]");
    }
}
