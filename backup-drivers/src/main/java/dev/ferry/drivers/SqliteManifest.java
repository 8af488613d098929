package dev.ferry.drivers;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A complete manifest file, read (written by {@link ManifestWriter}). The file is opened read-only and as immutable
 * (a complete manifest never changes, so SQLite takes no locks, which NFS mounts without locking would refuse).
 * Walks step through a database cursor: no read holds more than one page of a folder in memory.
 */
public final class SqliteManifest implements Manifest {

    private static final int FETCH_SIZE = 1_000;

    private final Path file;
    private final Connection connection;
    private final long entryCount;

    private SqliteManifest(Path file, Connection connection, long entryCount) {
        this.file = file;
        this.connection = connection;
        this.entryCount = entryCount;
    }

    /** Opens a complete manifest; a file that is missing, not a manifest or of an unknown format is refused. */
    public static SqliteManifest open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no manifest file");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file.toUri() + "?immutable=1");
            String format = meta(connection, ManifestSchema.META_FORMAT);
            String entries = meta(connection, ManifestSchema.META_ENTRIES);
            if (format == null || entries == null) {
                throw new IOException("the manifest " + file + " is incomplete (it records no entry count)");
            }
            if (!format.equals(Integer.toString(ManifestSchema.FORMAT_VERSION))) {
                throw new IOException("the manifest " + file + " has format " + format + ", which this Ferry does "
                        + "not read (it reads format " + ManifestSchema.FORMAT_VERSION + "); upgrade Ferry");
            }
            return new SqliteManifest(file, connection, Long.parseLong(entries));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw new IOException("cannot read the manifest " + file + ": " + e.getMessage()
                    + " (the file is damaged or not a Ferry manifest)", e);
        } catch (IOException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public long entryCount() {
        return entryCount;
    }

    @Override
    public synchronized void forEach(Consumer<ManifestEntry> action) throws IOException {
        stream("SELECT " + ManifestSchema.COLUMNS + " FROM entries ORDER BY id", List.of(), action);
    }

    @Override
    public synchronized void forEachUnder(byte[] path, Consumer<ManifestEntry> action) throws IOException {
        if (path.length == 0) {
            forEach(action);
            return;
        }
        ManifestEntry top = find(path);
        if (top == null) {
            return;
        }
        action.accept(top);
        if (!ManifestEntry.DIRECTORY.equals(top.type())) {
            return;
        }
        // descendants: parent is the folder itself, or starts with "<folder>/" ('0' is the byte after '/')
        byte[] from = concat(path, (byte) '/');
        byte[] to = concat(path, (byte) ('/' + 1));
        stream("SELECT " + ManifestSchema.COLUMNS + " FROM entries WHERE parent = ? OR (parent >= ? AND parent < ?) "
                + "ORDER BY id", List.of(path, from, to), action);
    }

    @Override
    public synchronized ManifestEntry find(byte[] path) throws IOException {
        if (path.length == 0) {
            return null;
        }
        List<ManifestEntry> found = list("SELECT " + ManifestSchema.COLUMNS + " FROM entries WHERE parent = ? AND "
                + "name = ?", List.of(ManifestSchema.parentOf(path), ManifestSchema.nameOf(path)));
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public synchronized ManifestEntry byId(long id) throws IOException {
        List<ManifestEntry> found = list("SELECT " + ManifestSchema.COLUMNS + " FROM entries WHERE id = ?",
                List.of(id));
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public synchronized List<ManifestEntry> children(byte[] folder, int limit, long offset) throws IOException {
        if (limit <= 0) {
            return List.of();
        }
        return list("SELECT " + ManifestSchema.COLUMNS + " FROM entries WHERE parent = ? ORDER BY name LIMIT ? "
                + "OFFSET ?", List.of(folder, limit, Math.max(0, offset)));
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the manifest " + file + ": " + e.getMessage(), e);
        }
    }

    private List<ManifestEntry> list(String sql, List<Object> parameters) throws IOException {
        List<ManifestEntry> entries = new ArrayList<>();
        stream(sql, parameters, entries::add);
        return entries;
    }

    private void stream(String sql, List<Object> parameters, Consumer<ManifestEntry> action) throws IOException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setObject(i + 1, parameters.get(i));
            }
            query.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    action.accept(entry(rows));
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the manifest " + file + ": " + e.getMessage(), e);
        }
    }

    private static ManifestEntry entry(ResultSet row) throws SQLException {
        return new ManifestEntry(row.getLong(1), ManifestSchema.join(row.getBytes(2), row.getBytes(3)),
                row.getString(4), row.getLong(5), row.getInt(6), row.getInt(7), row.getInt(8), row.getLong(9),
                row.getLong(10), row.getBytes(11), row.getLong(12), row.getInt(13), row.getInt(14) != 0,
                row.getBytes(15));
    }

    private static String meta(Connection connection, String key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static byte[] concat(byte[] bytes, byte last) {
        byte[] joined = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        joined[bytes.length] = last;
        return joined;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the open failed already; that failure is reported
            }
        }
    }
}
