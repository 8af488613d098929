package dev.ferry.cli.output;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The output formats of {@code -f}, as the OpenStack client (cliff) prints them. */
public enum Format {
    TABLE(new TableFormatter()), JSON(new JsonFormatter()), VALUE(new ValueFormatter()), YAML(new YamlFormatter()),
    CSV(new CsvFormatter());

    private final Formatter formatter;

    Format(Formatter formatter) {
        this.formatter = formatter;
    }

    /** The format named {@code name}; an IllegalArgumentException naming the formats otherwise. */
    public static Format named(String name) {
        for (Format format : values()) {
            if (format.name().equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "': use " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
    }

    public void print(Listing listing, PrintWriter out) {
        formatter.print(listing, out);
        out.flush();
    }
}
