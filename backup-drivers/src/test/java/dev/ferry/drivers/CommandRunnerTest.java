package dev.ferry.drivers;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandRunnerTest {

    private final CommandRunner runner = new CommandRunner(Duration.ofMinutes(1));

    @Test
    void returnsTheOutputOfASuccessfulCommand() throws Exception {
        assertEquals("hello world", runner.run(List.of("echo", "hello", "world")));
    }

    @Test
    void aFailingCommandReportsItselfItsStatusAndItsOutput() {
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> runner.run(List.of("sh", "-c", "echo 'mount: permission denied' >&2; exit 32")));

        assertTrue(failure.getMessage().contains("sh -c"), failure.getMessage());
        assertTrue(failure.getMessage().contains("status 32"), failure.getMessage());
        assertTrue(failure.getMessage().contains("mount: permission denied"), failure.getMessage());
    }

    @Test
    void aMissingProgramSaysSo() {
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> runner.run(List.of("ferry-no-such-program-xyz")));

        assertTrue(failure.getMessage().contains("cannot run `ferry-no-such-program-xyz`"), failure.getMessage());
    }
}
