package dev.ferry.drivers;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on whole folder trees, with a readable list of differences on failure. */
final class TreeAssert {

    private TreeAssert() {
    }

    /** The trees under both folders hold the same entries, types, content, link texts, modes, owners and mtimes. */
    static void assertSameTree(Path expected, Path actual) {
        assertSnapshot(TreeSnapshot.of(expected), actual);
    }

    static void assertSnapshot(TreeSnapshot expected, Path actual) {
        String differences = expected.differencesFrom(TreeSnapshot.of(actual));
        if (!differences.isEmpty()) {
            fail("the tree under " + actual + " differs from the expected tree:\n" + differences);
        }
    }

    static void assertSameSnapshot(TreeSnapshot expected, TreeSnapshot actual) {
        String differences = expected.differencesFrom(actual);
        if (!differences.isEmpty()) {
            fail("the trees differ:\n" + differences);
        }
    }
}
