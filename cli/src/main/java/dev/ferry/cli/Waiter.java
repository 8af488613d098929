package dev.ferry.cli;

import java.time.Duration;

/** Polls the API until work ends, showing its progress; what {@code --wait} does. */
final class Waiter {
    static final Duration INTERVAL = Duration.ofMillis(500);

    /** Where the work is: how far it came (null when the API does not say) and whether it ended, and how. */
    record State(Integer percent, Outcome outcome) {
        static State running(Integer percent) {
            return new State(percent, Outcome.RUNNING);
        }
    }

    enum Outcome { RUNNING, SUCCEEDED, FAILED }

    /** Asks the API once where the work is. */
    @FunctionalInterface
    interface Poll {
        State poll() throws ApiClient.ApiFailure;
    }

    private final Duration interval;

    Waiter(Duration interval) {
        this.interval = interval;
    }

    /** Polls until the work ends; a success shows 100 %, a failure the last percentage reached. */
    Outcome await(Poll poll, Progress progress) throws ApiClient.ApiFailure {
        try {
            while (true) {
                State state = poll.poll();
                if (state.outcome() == Outcome.SUCCEEDED) {
                    progress.show(100);
                } else if (state.percent() != null) {
                    progress.show(state.percent());
                }
                if (state.outcome() != Outcome.RUNNING) {
                    return state.outcome();
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiClient.ApiFailure("interrupted while waiting; the work goes on");
        } finally {
            progress.end();
        }
    }

    /** A progress field of the API ("42", "42%", null) as a number, or null. */
    static Integer percent(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(text.strip().replace("%", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
