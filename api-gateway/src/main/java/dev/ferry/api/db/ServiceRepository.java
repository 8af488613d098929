package dev.ferry.api.db;

import dev.ferry.api.model.DataService;
import dev.ferry.messages.ServiceReport;
import dev.ferry.messages.ServiceReport.RestorePair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reads and writes {@code services}: one row per data node (host and binary), updated by its reports. */
public final class ServiceRepository {
    private static final String COLUMNS = "id, host, binary_name, restore_to_target, restore_pairs, stopped, "
            + "created_at, updated_at";
    private final Clock clock;

    public ServiceRepository(Clock clock) {
        this.clock = clock;
    }

    /** Records {@code report} on the node's row; false when the node has no row yet. */
    public boolean update(Connection c, ServiceReport report) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE services SET restore_to_target = ?, restore_pairs = ?, "
                + "stopped = ?, updated_at = ? WHERE host = ? AND binary_name = ?")) {
            ps.setBoolean(1, report.restoreToTarget());
            ps.setString(2, pairsText(report.restorePairs()));
            ps.setBoolean(3, report.state() == ServiceReport.State.STOPPING);
            ps.setObject(4, Timestamps.now(clock));
            ps.setString(5, report.host());
            ps.setString(6, ServiceReport.BINARY);
            return ps.executeUpdate() == 1;
        }
    }

    /** A row for a node that reports for the first time (a second insert for the same host fails: unique). */
    public void insert(Connection c, ServiceReport report) throws SQLException {
        LocalDateTime now = Timestamps.now(clock);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO services (host, binary_name, restore_to_target, "
                + "restore_pairs, stopped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, report.host());
            ps.setString(2, ServiceReport.BINARY);
            ps.setBoolean(3, report.restoreToTarget());
            ps.setString(4, pairsText(report.restorePairs()));
            ps.setBoolean(5, report.state() == ServiceReport.State.STOPPING);
            ps.setObject(6, now);
            ps.setObject(7, now);
            ps.executeUpdate();
        }
    }

    public long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM services");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every service, by id. */
    public List<DataService> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM services ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<DataService> services = new ArrayList<>();
            while (rs.next()) {
                services.add(map(rs));
            }
            return services;
        }
    }

    private static String pairsText(List<RestorePair> pairs) {
        return pairs.stream().map(p -> p.backup() + ":" + p.target()).collect(Collectors.joining(","));
    }

    private static List<RestorePair> pairs(String text) {
        List<RestorePair> pairs = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return pairs;
        }
        for (String pair : text.split(",")) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                pairs.add(new RestorePair(pair.substring(0, colon), pair.substring(colon + 1)));
            }
        }
        return pairs;
    }

    private static DataService map(ResultSet rs) throws SQLException {
        return new DataService(rs.getLong("id"), rs.getString("host"), rs.getString("binary_name"),
                rs.getBoolean("restore_to_target"), pairs(rs.getString("restore_pairs")), rs.getBoolean("stopped"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }
}
