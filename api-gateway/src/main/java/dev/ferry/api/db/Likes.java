package dev.ferry.api.db;

/** LIKE patterns from user text: {@code %}, {@code _} and the escape character {@code !} match themselves. */
final class Likes {
    private Likes() {
    }

    static String escape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
