package dev.ferry.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.h2.tools.Server;

/**
 * An H2 database behind its own TCP server on a fixed port, which a test stops (every client connection
 * breaks, new ones are refused, as when a database server goes down) and starts again with its data.
 */
public final class StoppableH2 implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Server server;

    public StoppableH2() {
        try {
            this.dir = Files.createTempDirectory("ferry-h2-");
            try (ServerSocket probe = new ServerSocket(0)) {
                this.port = probe.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/ferry";
    }

    public StoppableH2 start() {
        try {
            server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-baseDir", dir.toString(),
                    "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start H2 on port " + port + ": " + e.getMessage(), e);
        }
        return this;
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
