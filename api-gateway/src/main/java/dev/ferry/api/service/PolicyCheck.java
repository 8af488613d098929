package dev.ferry.api.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One parsed check string, in the subset of oslo.policy's syntax Ferry understands: {@code role:<name>}
 * (case-insensitive, as in oslo), {@code @} (anyone; so is the empty string), {@code !} (nobody),
 * {@code not}, {@code and}, {@code or} (loosest) and parentheses. Anything else (e.g. {@code rule:...},
 * {@code project_id:%(project_id)s}) is refused when parsed, never ignored.
 */
final class PolicyCheck {
    private final String text;
    private final Predicate<Set<String>> test;

    private PolicyCheck(String text, Predicate<Set<String>> test) {
        this.text = text;
        this.test = test;
    }

    /** Parses {@code text}; an IllegalArgumentException says what is wrong with it. */
    static PolicyCheck parse(String text) {
        List<String> tokens = tokenize(text);
        if (tokens.isEmpty()) {
            return new PolicyCheck(text, roles -> true);
        }
        Parser parser = new Parser(tokens);
        Predicate<Set<String>> test = parser.or();
        if (parser.pos < tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + tokens.get(parser.pos) + "' in \"" + text + "\"");
        }
        return new PolicyCheck(text, test);
    }

    /** Does a caller with these roles pass? Role names are compared ignoring case. */
    boolean allows(List<String> roles) {
        Set<String> lower = Set.copyOf(roles.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList());
        return test.test(lower);
    }

    String text() {
        return text;
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (Character.isWhitespace(c) || c == '(' || c == ')') {
                if (!word.isEmpty()) {
                    tokens.add(word.toString());
                    word.setLength(0);
                }
                if (c == '(' || c == ')') {
                    tokens.add(String.valueOf(c));
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    private static final class Parser {
        private final List<String> tokens;
        private int pos;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        Predicate<Set<String>> or() {
            Predicate<Set<String>> left = and();
            while (accept("or")) {
                left = left.or(and());
            }
            return left;
        }

        Predicate<Set<String>> and() {
            Predicate<Set<String>> left = not();
            while (accept("and")) {
                left = left.and(not());
            }
            return left;
        }

        Predicate<Set<String>> not() {
            if (accept("not")) {
                return not().negate();
            }
            return atom();
        }

        Predicate<Set<String>> atom() {
            if (pos >= tokens.size()) {
                throw new IllegalArgumentException("the check ends where a check was expected");
            }
            String token = tokens.get(pos++);
            switch (token) {
                case "(" -> {
                    Predicate<Set<String>> inner = or();
                    if (!accept(")")) {
                        throw new IllegalArgumentException("a '(' is not closed");
                    }
                    return inner;
                }
                case "@" -> {
                    return roles -> true;
                }
                case "!" -> {
                    return roles -> false;
                }
                case ")", "and", "or" -> throw new IllegalArgumentException("unexpected '" + token
                        + "' where a check was expected");
                default -> {
                    if (token.startsWith("role:") && token.length() > "role:".length()) {
                        String role = token.substring("role:".length()).toLowerCase(Locale.ROOT);
                        return roles -> roles.contains(role);
                    }
                    if (token.startsWith("rule:")) {
                        throw new IllegalArgumentException("'" + token + "' refers to another rule, which Ferry "
                                + "does not support; write the roles out, e.g. role:admin or role:member");
                    }
                    throw new IllegalArgumentException("'" + token + "' is not a check Ferry understands; use "
                            + "role:<name>, @ (anyone), ! (nobody), not, and, or and parentheses");
                }
            }
        }

        private boolean accept(String token) {
            if (pos < tokens.size() && tokens.get(pos).equals(token)) {
                pos++;
                return true;
            }
            return false;
        }
    }
}
