package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What --wait shows: plain percentage lines when not on a terminal, a bar on one line on a terminal. */
class ProgressTest {
    @Test
    void offATerminalEachNewPercentageIsOneLine() throws Exception {
        StringWriter text = new StringWriter();
        Deque<Waiter.State> states = new ArrayDeque<>(List.of(Waiter.State.running(null), Waiter.State.running(0),
                Waiter.State.running(0), Waiter.State.running(42), Waiter.State.running(42),
                Waiter.State.running(97), new Waiter.State(100, Waiter.Outcome.SUCCEEDED)));

        Waiter.Outcome outcome = new Waiter(Duration.ZERO).await(states::pop,
                Progress.on(new PrintWriter(text), false));

        assertEquals(Waiter.Outcome.SUCCEEDED, outcome);
        assertEquals("0%\n42%\n97%\n100%\n", text.toString());
    }

    @Test
    void aFailureStopsAtTheLastPercentageReached() throws Exception {
        StringWriter text = new StringWriter();
        Deque<Waiter.State> states = new ArrayDeque<>(List.of(Waiter.State.running(10),
                new Waiter.State(60, Waiter.Outcome.FAILED)));

        Waiter.Outcome outcome = new Waiter(Duration.ZERO).await(states::pop,
                Progress.on(new PrintWriter(text), false));

        assertEquals(Waiter.Outcome.FAILED, outcome);
        assertEquals("10%\n60%\n", text.toString());
    }

    @Test
    void onATerminalABarIsRedrawnOnOneLine() throws Exception {
        StringWriter text = new StringWriter();
        Deque<Waiter.State> states = new ArrayDeque<>(List.of(Waiter.State.running(0), Waiter.State.running(50),
                new Waiter.State(100, Waiter.Outcome.SUCCEEDED)));

        new Waiter(Duration.ZERO).await(states::pop, Progress.on(new PrintWriter(text), true));

        String empty = " ".repeat(40);
        assertEquals("\r[" + empty + "]   0%\r[" + "#".repeat(20) + " ".repeat(20) + "]  50%\r[" + "#".repeat(40)
                + "] 100%\n", text.toString());
    }

    @Test
    void progressFieldsOfTheApiAreRead() {
        assertEquals(42, Waiter.percent("42"));
        assertEquals(42, Waiter.percent("42%"));
        assertEquals(null, Waiter.percent(null));
        assertEquals(null, Waiter.percent("soon"));
    }
}
