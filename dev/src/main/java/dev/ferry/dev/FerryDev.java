package dev.ferry.dev;

import dev.ferry.cli.Ferry;

/**
 * The development jar's entry point ({@code dev/target/ferry-dev.jar}, what {@code ./ferry dev} runs): every
 * command of {@code ferry}, with {@code ferry dev} and its embedded broker. The jar the production processes
 * run ({@code cli/target/ferry.jar}) carries neither the broker nor its dependencies.
 */
public final class FerryDev {
    private FerryDev() {
    }

    public static void main(String[] args) {
        System.exit(Ferry.execute(() -> Ferry.commandLine(System.getenv()).addSubcommand(new DevCommand()), args));
    }
}
