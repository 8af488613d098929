package dev.ferry.api.service;

import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ServiceRepository;
import dev.ferry.api.db.Timestamps;
import dev.ferry.api.model.DataService;
import dev.ferry.messages.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Manila's {@code GET /v2/services} over Ferry's data nodes (policy {@code service:index}, admin only): each is a
 * {@code manila-data} service in zone {@code nova}, always {@code enabled}, {@code up} or {@code down} by its
 * reports. Filters as Manila's: {@code binary}, {@code host}, {@code zone}, {@code state} and {@code status}
 * match exactly; a {@code status} other than enabled or disabled, or a zone other than nova, finds nothing.
 */
public final class ServiceQueries {
    /** Manila's default storage availability zone, the one data nodes are in. */
    public static final String ZONE = "nova";
    public static final String ENABLED = "enabled";
    private final Database db;
    private final ServiceRepository services;
    private final Clock clock;
    private final Duration downAfter;
    private final Policies policies;

    public ServiceQueries(Database db, Clock clock, ServiceSettings settings, Policies policies) {
        this.db = db;
        this.services = new ServiceRepository(clock);
        this.clock = clock;
        this.downAfter = settings.downAfter();
        this.policies = policies;
    }

    /** A service as the API shows it. */
    public record Listed(DataService service, String zone, String status, String state) {
    }

    /** The filters, each null when not given. */
    public record Filter(String binary, String host, String zone, String state, String status) {
    }

    public List<Listed> list(RequestContext caller, Filter filter) {
        policies.require(Policy.SERVICE_INDEX, caller);
        LocalDateTime now = Timestamps.now(clock);
        return db.read(services::all).stream()
                .map(s -> new Listed(s, ZONE, ENABLED, s.up(now, downAfter) ? "up" : "down"))
                .filter(l -> matches(filter.binary(), l.service().binary()))
                .filter(l -> matches(filter.host(), l.service().host()))
                .filter(l -> matches(filter.zone(), l.zone()))
                .filter(l -> matches(filter.state(), l.state()))
                .filter(l -> matches(filter.status(), l.status()))
                .toList();
    }

    private static boolean matches(String wanted, String value) {
        return wanted == null || wanted.isEmpty() || wanted.equals(value);
    }
}
