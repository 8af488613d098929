package dev.ferry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.ServiceSettings;
import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.db.ServiceRepository;
import dev.ferry.messages.ServiceReport;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records data nodes' reports ({@link ServiceReport}, the {@code report_service} call on {@code ferry-state}) in
 * {@code services} and answers how soon the next one is due. A node that reports for the first time gets a row,
 * up to {@link #MOST_SERVICES} rows: node names are self-declared, so a sender inventing names cannot grow the
 * table without bound (its reports are then logged and not recorded).
 */
public final class ServiceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRegistry.class);
    static final int MOST_SERVICES = 1000;
    private final Database db;
    private final ServiceRepository services;
    private final ServiceSettings settings;

    public ServiceRegistry(Database db, Clock clock, ServiceSettings settings) {
        this.db = db;
        this.services = new ServiceRepository(clock);
        this.settings = settings;
    }

    public JsonNode report(ServiceReport report) {
        try {
            record(report);
        } catch (DataAccessException e) {
            if (!e.uniqueViolation()) {
                throw e;
            }
            record(report); // another api-gateway added the row first: update it
        }
        return ServiceReport.reply(settings.reportInterval());
    }

    private void record(ServiceReport report) {
        boolean added = db.inTransaction(c -> {
            if (services.update(c, report)) {
                return false;
            }
            if (services.count(c) >= MOST_SERVICES) {
                LOG.warn("a report from a data node naming itself {} was not recorded: {} services are known already, "
                        + "the most Ferry keeps", report.host(), MOST_SERVICES);
                return false;
            }
            services.insert(c, report);
            return true;
        });
        if (added) {
            LOG.info("data node {} reported for the first time (restore to target: {}, restores {})", report.host(),
                    report.restoreToTarget() ? "yes" : "no", report.restorePairs());
        } else if (report.state() == ServiceReport.State.STOPPING) {
            LOG.info("data node {} reported that it stops; it is down", report.host());
        }
    }
}
