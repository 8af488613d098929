package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ferry dev} as the production jar answers it: the development system and its embedded broker live in
 * the development jar ({@code dev/target/ferry-dev.jar}), so that the processes operators run do not carry them.
 */
@Command(name = "dev", description = "Not in this jar: run ./ferry dev from a source checkout (it builds and runs "
        + "dev/target/ferry-dev.jar).")
final class DevNotInThisJar implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("ferry dev is not in this jar: the production jar carries no embedded "
                + "broker. Run ./ferry dev from a source checkout, which builds and runs dev/target/ferry-dev.jar "
                + "(or build it with: mvn -DskipTests -pl dev -am package, then java -jar dev/target/ferry-dev.jar "
                + "dev).");
        return 2;
    }
}
