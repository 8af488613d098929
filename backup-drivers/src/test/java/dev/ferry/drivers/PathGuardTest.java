package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathGuardTest {

    private final PathGuard guard = new PathGuard(Path.of("/restore/target"));

    @Test
    void resolvesRelativePathsUnderTheRoot() throws Exception {
        assertEquals(Path.of("/restore/target/a/b.txt"), guard.resolve("a/b.txt"));
        assertEquals(Path.of("/restore/target/a/b.txt"), guard.resolve("a/./b.txt"));
        assertEquals(Path.of("/restore/target/..hidden"), guard.resolve("..hidden"));
    }

    @Test
    void rejectsParentSegments() {
        UnsafePathException up = assertThrows(UnsafePathException.class, () -> guard.resolve("../x"));
        assertTrue(up.getMessage().contains("'..'"), up.getMessage());
        assertThrows(UnsafePathException.class, () -> guard.resolve("a/../../x"));
        assertThrows(UnsafePathException.class, () -> guard.resolve("a/.."));
    }

    @Test
    void rejectsAbsoluteAndEmptyPaths() {
        UnsafePathException absolute = assertThrows(UnsafePathException.class, () -> guard.resolve("/etc/passwd"));
        assertTrue(absolute.getMessage().contains("absolute"), absolute.getMessage());
        assertThrows(UnsafePathException.class, () -> guard.resolve(""));
    }

    @Test
    void requiresAnAbsoluteRoot() {
        assertThrows(IllegalArgumentException.class, () -> new PathGuard(Path.of("relative")));
    }
}
