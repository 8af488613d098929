package dev.ferry.cli.output;

import java.io.PrintWriter;

/** Prints a listing in one format. */
interface Formatter {
    void print(Listing listing, PrintWriter out);
}
