package dev.ferry.drivers;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a backup's manifest (read back by {@link SqliteManifest}) while the backup copies: entries are appended
 * from any thread and numbered in the order they arrive, under a temporary name {@code <final>.tmp-<random>} in the
 * final file's folder; {@link #complete()} makes the file durable and renames it to its final name, so a manifest
 * under that name is always whole. Closing a writer that was not completed deletes the temporary file (an abort).
 *
 * <p>Rows go in in transactions of {@value #BATCH} and the database keeps no journal while it is written: a
 * half-written file is never renamed into place, so it needs no crash safety of its own.
 */
public final class ManifestWriter implements AutoCloseable {

    static final int BATCH = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path finalFile;
    private final Path temporaryFile;
    private final Connection connection;
    private final PreparedStatement insert;
    private final List<Long> pendingGroupLeaders = new ArrayList<>();
    private long lastId;
    private int pendingRows;
    private boolean completed;
    private boolean closed;

    private ManifestWriter(Path finalFile, Path temporaryFile, Connection connection) throws SQLException {
        this.finalFile = finalFile;
        this.temporaryFile = temporaryFile;
        this.connection = connection;
        this.insert = connection.prepareStatement(ManifestSchema.INSERT);
    }

    /** Starts a manifest that {@link #complete()} will put at {@code finalFile}. */
    public static ManifestWriter create(Path finalFile) throws IOException {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path temporary = finalFile.resolveSibling(finalFile.getFileName() + ".tmp-" + HexFormat.of().formatHex(random));
        Connection connection = null;
        try {
            // the writer is the only one ever to open this file: no locks (they fail on NFS mounted with nolock)
            connection = DriverManager.getConnection("jdbc:sqlite:" + temporary.toUri() + "?vfs=unix-none");
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=OFF");
                statement.execute("PRAGMA synchronous=OFF");
                statement.execute("PRAGMA page_size=8192");
                statement.execute(ManifestSchema.CREATE_META);
                statement.execute(ManifestSchema.CREATE_ENTRIES);
            }
            connection.setAutoCommit(false);
            return new ManifestWriter(finalFile, temporary, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            Files.deleteIfExists(temporary);
            throw new IOException("cannot start the manifest " + temporary + ": " + e.getMessage(), e);
        }
    }

    /** The file the manifest is written to until {@link #complete()}. */
    public Path temporaryFile() {
        return temporaryFile;
    }

    /**
     * Records one entry (its {@code id} is ignored) and returns the id it was given: one more than the last one
     * appended. A directory must be appended before anything inside it.
     */
    public synchronized long append(ManifestEntry entry) throws IOException {
        requireOpen();
        long id = ++lastId;
        try {
            insert.setLong(1, id);
            insert.setBytes(2, ManifestSchema.parentOf(entry.path()));
            insert.setBytes(3, ManifestSchema.nameOf(entry.path()));
            insert.setString(4, entry.type());
            insert.setLong(5, entry.size());
            insert.setInt(6, entry.mode());
            insert.setInt(7, entry.uid());
            insert.setInt(8, entry.gid());
            insert.setLong(9, entry.atimeNanos());
            insert.setLong(10, entry.mtimeNanos());
            setBytesOrNull(11, entry.linkTarget());
            insert.setLong(12, entry.linkGroup());
            insert.setInt(13, entry.checksum());
            insert.setInt(14, entry.sparse() ? 1 : 0);
            setBytesOrNull(15, entry.xattrs());
            insert.addBatch();
            if (++pendingRows >= BATCH) {
                flush();
            }
            return id;
        } catch (SQLException e) {
            throw new IOException("cannot write to the manifest " + temporaryFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Marks entry {@code id}, already appended, as the first of a hard-link group: its {@code linkGroup} becomes its
     * own id (it is appended before the writer knows a second link follows).
     */
    public synchronized void markLinkGroupFirst(long id) throws IOException {
        requireOpen();
        pendingGroupLeaders.add(id);
        if (pendingGroupLeaders.size() >= BATCH) {
            try {
                flush();
            } catch (SQLException e) {
                throw new IOException("cannot write to the manifest " + temporaryFile + ": " + e.getMessage(), e);
            }
        }
    }

    /** Entries appended so far. */
    public synchronized long entryCount() {
        return lastId;
    }

    /**
     * Stores the entry count, indexes the entries, makes the file durable and renames it to its final name (then
     * makes that rename durable). After this the manifest is complete and {@link #close()} only releases.
     */
    public synchronized void complete() throws IOException {
        requireOpen();
        try {
            flush();
            try (Statement statement = connection.createStatement()) {
                statement.execute(ManifestSchema.CREATE_INDEX);
            }
            try (PreparedStatement meta = connection.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
                meta.setString(1, ManifestSchema.META_FORMAT);
                meta.setString(2, Integer.toString(ManifestSchema.FORMAT_VERSION));
                meta.addBatch();
                meta.setString(1, ManifestSchema.META_ENTRIES);
                meta.setString(2, Long.toString(lastId));
                meta.addBatch();
                meta.executeBatch();
            }
            connection.commit();
            insert.close();
            connection.close();
        } catch (SQLException e) {
            throw new IOException("cannot complete the manifest " + temporaryFile + ": " + e.getMessage(), e);
        }
        closed = true;
        try (FileChannel file = FileChannel.open(temporaryFile, StandardOpenOption.WRITE)) {
            file.force(true);
        }
        Files.move(temporaryFile, finalFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        completed = true;
        try (FileChannel folder = FileChannel.open(finalFile.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        }
    }

    /** Releases the database; when {@link #complete()} did not succeed, deletes the temporary file (an abort). */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            closeQuietly(insert);
            closeQuietly(connection);
        }
        if (!completed) {
            Files.deleteIfExists(temporaryFile);
        }
    }

    private void flush() throws SQLException {
        if (pendingRows > 0) {
            insert.executeBatch();
            pendingRows = 0;
        }
        if (!pendingGroupLeaders.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE entries SET link_group = id WHERE id = ?")) {
                for (long id : pendingGroupLeaders) {
                    update.setLong(1, id);
                    update.addBatch();
                }
                update.executeBatch();
            }
            pendingGroupLeaders.clear();
        }
        connection.commit();
    }

    private void setBytesOrNull(int index, byte[] value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.BLOB);
        } else {
            insert.setBytes(index, value);
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the manifest " + finalFile + " is already " + (completed ? "complete" : "closed"));
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // releasing only; the file is deleted or already complete
            }
        }
    }
}
