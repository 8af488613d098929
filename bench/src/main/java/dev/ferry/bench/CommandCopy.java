package dev.ferry.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/** A copy by a command-line tool: {@code cp -a} or {@code rsync -a}. */
record CommandCopy(String name, BiFunction<Path, Path, List<String>> command) implements CopyTool {

    static CommandCopy cp() {
        return new CommandCopy("cp -a", (source, target) -> List.of("cp", "-a", source + "/.", target + "/"));
    }

    static CommandCopy rsync() {
        return new CommandCopy("rsync -a", (source, target) -> List.of("rsync", "-a", source + "/", target + "/"));
    }

    @Override
    public void copy(Path source, Path target) throws Exception {
        Commands.run(command.apply(source, target));
    }
}
