package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;

/** The first pass of a copy: sizes the source tree for progress, without following symbolic links. */
final class TreeSizer {

    private final IgnoreList ignore;

    TreeSizer(IgnoreList ignore) {
        this.ignore = ignore;
    }

    TreeSize size(Path root, StopSignal stop) throws IOException {
        long[] bytesAndFiles = new long[2];
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                            throws IOException {
                        stop.check();
                        return !dir.equals(root) && ignore.ignores(dir)
                                ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!ignore.ignores(file)) {
                            if (attrs.isRegularFile()) {
                                bytesAndFiles[0] += attrs.size();
                                bytesAndFiles[1]++;
                            } else if (attrs.isSymbolicLink()) {
                                bytesAndFiles[1]++;
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        return new TreeSize(bytesAndFiles[0], bytesAndFiles[1]);
    }
}
