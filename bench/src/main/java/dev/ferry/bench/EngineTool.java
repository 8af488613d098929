package dev.ferry.bench;

import java.nio.file.Path;

/** Ferry's copy engine ({@code TreeCopier}, as a backup or restore runs it) in this process, checksums off. */
record EngineTool(int threads) implements CopyTool {

    @Override
    public String name() {
        return "Ferry engine, checksums off";
    }

    @Override
    public void copy(Path source, Path target) throws Exception {
        EngineCopy.copy(source, target, threads);
    }
}
