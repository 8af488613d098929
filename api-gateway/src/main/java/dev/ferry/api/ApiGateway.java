package dev.ferry.api;

import dev.ferry.api.db.Database;
import dev.ferry.api.db.Repositories;
import dev.ferry.api.http.HttpApi;
import dev.ferry.api.http.Authenticator;
import dev.ferry.api.jobs.AmqpOutboxTransport;
import dev.ferry.api.jobs.BrokerQueueCounts;
import dev.ferry.api.jobs.BrokerServices;
import dev.ferry.api.jobs.ClaimService;
import dev.ferry.api.jobs.DataQueries;
import dev.ferry.api.jobs.JobFailure;
import dev.ferry.api.jobs.JobRequeue;
import dev.ferry.api.jobs.LeaseReaper;
import dev.ferry.api.jobs.LeaseService;
import dev.ferry.api.jobs.NoDataNodeNotice;
import dev.ferry.api.jobs.OutboxRelay;
import dev.ferry.api.jobs.QueuedJobRedispatcher;
import dev.ferry.api.jobs.RetentionPurger;
import dev.ferry.api.jobs.ServiceRegistry;
import dev.ferry.api.jobs.StateRpcHandler;
import dev.ferry.api.jobs.StatusRpcHandler;
import dev.ferry.api.jobs.TransitionApplier;
import dev.ferry.api.jobs.kinds.JobKinds;
import dev.ferry.api.parked.ParkedQueue;
import dev.ferry.api.service.BackupBrowsing;
import dev.ferry.api.service.BackupChanges;
import dev.ferry.api.service.ManifestPathCheck;
import dev.ferry.api.service.BackupContents;
import dev.ferry.api.service.BackupCreationService;
import dev.ferry.api.service.BackupDeletionService;
import dev.ferry.api.service.BackupQueries;
import dev.ferry.api.service.BackupVerification;
import dev.ferry.api.service.CastOutbox;
import dev.ferry.api.service.DataNodeCapabilities;
import dev.ferry.api.service.JobQueries;
import dev.ferry.api.service.JobStop;
import dev.ferry.api.service.ManagedExportCheck;
import dev.ferry.api.service.MessageQueries;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.RestoreService;
import dev.ferry.api.service.ServiceQueries;
import dev.ferry.api.service.ShareChanges;
import dev.ferry.api.service.ShareCreationService;
import dev.ferry.api.service.ShareService;
import dev.ferry.api.service.ShareTypeService;
import dev.ferry.api.metrics.GatewayGauges;
import dev.ferry.api.metrics.HttpMetrics;
import dev.ferry.api.metrics.JobMetrics;
import dev.ferry.messages.Readiness;
import dev.ferry.messages.amqp.AmqpConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import dev.ferry.messages.amqp.AmqpSettings;
import dev.ferry.messages.amqp.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One api-gateway process: the database (migrated on start), the Manila v2 HTTP API and the admin API,
 * the lease reaper, the retention purger, the outbox relay, the re-dispatch of lost casts
 * ({@code FERRY_JOB_REDISPATCH_SECONDS}) and the {@code ferry-state} / {@code ferry-status} RPC servers. With
 * {@code config.amqp()} null only the database, HTTP and the reaper run (casts stay in the outbox).
 */
public final class ApiGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGateway.class);
    private final HttpApi http;
    private final Deque<AutoCloseable> parts;
    private final Database db;
    private final BrokerServices broker;

    private ApiGateway(HttpApi http, Deque<AutoCloseable> parts, Database db, BrokerServices broker) {
        this.http = http;
        this.parts = parts;
        this.db = db;
        this.broker = broker;
    }

    /**
     * Migrates the database (or, when it cannot be reached yet, starts anyway and migrates it once it
     * answers), starts HTTP, the lease reaper, the outbox relay, and the ferry-state / ferry-status RPC servers.
     */
    public static ApiGateway start(ApiConfig config) throws Exception {
        return start(config, ServiceSettings.DEFAULTS);
    }

    /** As {@link #start(ApiConfig)}, judging data nodes by {@code services} ({@code FERRY_SERVICE_DOWN_SECONDS} etc.). */
    public static ApiGateway start(ApiConfig config, ServiceSettings services) throws Exception {
        return start(config, services, null);
    }

    /**
     * As {@link #start(ApiConfig, ServiceSettings)}; {@code contents}, when not null, answers browse and path
     * questions instead of the data nodes (tests).
     */
    public static ApiGateway start(ApiConfig config, ServiceSettings services, BackupContents contents)
            throws Exception {
        return start(config, services, contents, new CompositeMeterRegistry());
    }

    /**
     * As {@link #start(ApiConfig, ServiceSettings, BackupContents)}, recording Ferry's meters (jobs, leases, outbox,
     * queues, data nodes, HTTP requests) and the database pool's into {@code registry}.
     */
    public static ApiGateway start(ApiConfig config, ServiceSettings services, BackupContents contents,
                                   MeterRegistry registry) throws Exception {
        AuthModeCheck.requireLoopbackForNoauth(config);
        Authenticator authenticator = config.openAuthenticator(registry);
        Policies policies = config.loadPolicies();
        LOG.info("authentication: FERRY_AUTH={}{}", config.auth(), config.policyFile() == null
                ? ", Manila's default policy" : ", policy overrides from " + config.policyFile());
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            Database db = Database.openWhenReachable(config.dbUrl(), config.dbUser(), config.dbPassword());
            parts.push(db);
            db.recordPoolMetrics(registry);
            JobMetrics jobMetrics = new JobMetrics(registry);
            Repositories repos = Repositories.over(db, Clock.systemUTC());
            AmqpSettings amqp = config.amqp();
            OutboxRelay relay = null;
            ParkedQueue parked = null;
            if (amqp != null) {
                AmqpConnector connector = new AmqpConnector(amqp);
                relay = new OutboxRelay(db, repos.outbox(), new AmqpOutboxTransport(connector, new Topology(amqp),
                        "ferry-api-outbox@" + config.host()));
                parked = new ParkedQueue(connector, new Topology(amqp), "ferry-api-admin@" + config.host());
            }
            OutboxRelay wakeable = relay;
            CastOutbox outbox = new CastOutbox(repos.outbox(),
                    amqp == null ? AmqpSettings.DEFAULT_EXCHANGE : amqp.exchange(),
                    wakeable == null ? () -> { } : wakeable::wake);
            DataNodeCapabilities dataNodes = new DataNodeCapabilities(db, repos.clock(), services);
            JobKinds kinds = JobKinds.standard(repos);
            JobFailure failures = new JobFailure(repos, config.limits().messageTtl(), kinds);
            JobStop stop = new JobStop(repos, config.limits().messageTtl(), kinds, jobMetrics);
            DataQueries queries = contents == null && amqp != null ? new DataQueries(DataQueries.DEFAULT_TIMEOUT)
                    : null;
            BackupContents backupContents = contents != null ? contents : queries != null ? queries
                    : BackupContents.unreachable("No broker is configured (FERRY_AMQP_URI), so no data node can be "
                            + "asked what a backup holds.");
            JobRequeue requeue = new JobRequeue(repos, outbox, failures, config.jobMaxAttempts(), kinds);
            ManagedExportCheck exports = new ManagedExportCheck(repos.shares(), config.shareBase(),
                    config.backupRepository(), config.localExports());
            ShareTypeService shareTypes = new ShareTypeService(db, repos.clock(), policies, config.defaultShareType());
            HttpApi http = new HttpApi(new HttpApi.Services(db, new ShareService(repos, policies, exports, config.limits(),
                    shareTypes),
                    new ShareCreationService(repos, outbox, config.shareBaseExport(), config.limits(), policies,
                            dataNodes, kinds, shareTypes),
                    new ShareChanges(repos, outbox, config.limits(), policies, stop), new BackupQueries(repos, policies),
                    new BackupCreationService(repos, outbox, config.limits(), policies, kinds),
                    new RestoreService(repos, outbox, policies, dataNodes, kinds,
                            new ManifestPathCheck(backupContents)), new BackupChanges(repos, policies, stop),
                    new BackupDeletionService(repos, outbox, policies, stop), new MessageQueries(repos, policies),
                    new JobQueries(repos), parked, new ServiceQueries(db, repos.clock(), services, policies),
                    new BackupVerification(repos, outbox, policies, kinds),
                    new BackupBrowsing(repos, policies, backupContents), shareTypes),
                    authenticator, config.links(config.tls() ? "https" : "http"), config.limits().maxPageSize(),
                    config.httpServer(), new HttpMetrics(registry));
            parts.push(new RetentionPurger(repos, config.limits().jobRetention()).start());
            parts.push(new NoDataNodeNotice(repos, dataNodes, services, config.limits().messageTtl(), kinds).start());
            parts.push(new LeaseReaper(repos, requeue, outbox, Duration.ofSeconds(config.reaperIntervalSeconds()),
                    jobMetrics).start());
            parts.push(new GatewayGauges(registry, db, repos.outbox(), () -> dataNodes.up().size(),
                    amqp == null ? null : new AmqpConnector(amqp), "ferry-api-metrics@" + config.host(),
                    repos.clock(), GatewayGauges.DEFAULT_INTERVAL).start());
            BrokerServices broker = null;
            if (relay != null) {
                parts.push(relay.start());
                if (!services.redispatchAfter().isZero()) {
                    BrokerQueueCounts queues = new BrokerQueueCounts(new AmqpConnector(amqp),
                            "ferry-api-redispatch@" + config.host());
                    parts.push(queues);
                    parts.push(new QueuedJobRedispatcher(repos, kinds, outbox, queues::of,
                            services.redispatchAfter(), jobMetrics).start());
                }
                AmqpConnector connector = new AmqpConnector(amqp);
                broker = new BrokerServices(connector, new Topology(amqp), "ferry-api-rpc@" + config.host(),
                        new StateRpcHandler(new ClaimService(repos, config.leaseSeconds(), policies,
                                config.limits().messageTtl(), kinds, jobMetrics),
                                new LeaseService(repos, requeue, outbox, config.leaseSeconds()),
                                new ServiceRegistry(db, repos.clock(), services)),
                        new StatusRpcHandler(new TransitionApplier(repos, failures, kinds, jobMetrics)), queries);
                parts.push(broker.start());
            } else {
                LOG.warn("no broker configured: casts stay in the outbox and no claims or transitions are served");
            }
            http.start(config.httpHost(), config.httpPort());
            parts.push(http);
            LOG.info("links in responses start with {}{}", config.links("http").onBoundPort(http::port),
                    config.publicUrl() == null ? " (the bind address; set FERRY_PUBLIC_URL to the address clients use)"
                            : " (FERRY_PUBLIC_URL)");
            LOG.info("api-gateway {} started (job leases {} s, reaper every {} s, a job fails after {} expired "
                    + "leases; managed exports: {}{}{})", config.host(), config.leaseSeconds(),
                    config.reaperIntervalSeconds(), config.jobMaxAttempts(),
                    config.localExports() ? "existing local folders" : "host:/path or local paths",
                    config.shareBase() == null ? "" : ", not overlapping " + config.shareBase(),
                    config.backupRepository() == null ? "" : ", not overlapping " + config.backupRepository());
            return new ApiGateway(http, parts, db, broker);
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
    }

    /**
     * Ready when the database answers a trivial query (within two seconds) and, with a broker configured, the
     * ferry-state and ferry-status servers consume on an open connection; otherwise names what is missing.
     */
    public Readiness readiness() {
        List<Readiness> parts = new ArrayList<>();
        parts.add(db.answers() ? Readiness.READY : Readiness.notReady("database not reachable (FERRY_DB_URL)"));
        if (broker != null) {
            parts.add(broker.connected() ? Readiness.READY
                    : Readiness.notReady("broker connection not open (FERRY_AMQP_URI)"));
        }
        return Readiness.allOf(parts);
    }

    /** The bound HTTP port (FERRY_HTTP_BIND may give port 0 in tests). */
    public int port() {
        return http.port();
    }

    /** The routes the HTTP API serves, as {@code "<METHOD> <path template>"}; see {@link HttpApi#routes()}. */
    public List<String> routes() {
        return http.routes();
    }

    @Override
    public void close() {
        closeAll(parts);
        LOG.info("api-gateway stopped");
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
