package dev.ferry.cli;

import java.io.PrintWriter;

/**
 * Shows how far work came while {@code --wait} waits: on a terminal a bar redrawn on one line, otherwise (a pipe,
 * a file, a CI log) a plain line such as {@code 42%} each time the percentage changes.
 */
interface Progress {
    /** The work is {@code percent} % done (0-100). */
    void show(int percent);

    /** The wait is over: end the bar's line. */
    void end();

    /** A bar when {@code terminal} (System.console() != null), plain lines otherwise. */
    static Progress on(PrintWriter out, boolean terminal) {
        return terminal ? new Bar(out) : new Lines(out);
    }

    /** {@code 42%} on its own line, once per new percentage. */
    final class Lines implements Progress {
        private final PrintWriter out;
        private int shown = -1;

        Lines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void show(int percent) {
            if (percent != shown) {
                shown = percent;
                out.println(percent + "%");
                out.flush();
            }
        }

        @Override
        public void end() {
            out.flush();
        }
    }

    /** {@code [##########          ]  50%}, redrawn in place with a carriage return. */
    final class Bar implements Progress {
        static final int WIDTH = 40;
        private final PrintWriter out;
        private int shown = -1;

        Bar(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void show(int percent) {
            if (percent == shown) {
                return;
            }
            shown = percent;
            int filled = Math.max(0, Math.min(WIDTH, percent * WIDTH / 100));
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent));
            out.flush();
        }

        @Override
        public void end() {
            if (shown >= 0) {
                out.println();
            }
            out.flush();
        }
    }
}
