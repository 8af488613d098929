package dev.ferry.api.http;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.parked.BrokerUnavailableException;
import dev.ferry.api.parked.ParkedQueue;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.BackupBrowsing;
import dev.ferry.api.service.BackupChanges;
import dev.ferry.api.service.BackupCreationService;
import dev.ferry.api.service.BackupDeletionService;
import dev.ferry.api.service.BackupQueries;
import dev.ferry.api.service.BackupVerification;
import dev.ferry.api.service.JobQueries;
import dev.ferry.api.service.MessageQueries;
import dev.ferry.api.service.RestoreService;
import dev.ferry.api.service.ShareChanges;
import dev.ferry.api.service.ShareCreationService;
import dev.ferry.api.service.ServiceQueries;
import dev.ferry.api.service.ShareService;
import dev.ferry.api.service.ShareTypeService;
import dev.ferry.api.metrics.HttpMetrics;
import io.javalin.Javalin;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Manila v2 REST API and Ferry's admin API on Javalin: routes, the request filter, and every error as a
 * fault body. While the database (or, for parked messages, the broker) cannot be reached, requests that
 * need it answer 503 at once, and work again without a restart once it is back.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private final Javalin app;
    private final TlsCertificates tls;
    private volatile String host;
    private volatile int port;

    /** Bodies above 1 MiB are refused with 413 overLimit. */
    public static final long MAX_BODY_BYTES = 1L << 20;

    /** What 503 says while the database cannot be reached. */
    public static final String DATABASE_DOWN = "The database is not reachable right now; nothing was changed. "
            + "Retry later.";

    /**
     * The services the routes call; {@code parked} is null when there is no broker; {@code dataNodes} null serves no
     * {@code /v2/services}; {@code types} null no {@code /v2/types}.
     */
    public record Services(Database database, ShareService shares, ShareCreationService shareCreation,
                           ShareChanges shareChanges, BackupQueries backups,
                           BackupCreationService backupCreation, RestoreService restores, BackupChanges backupChanges,
                           BackupDeletionService backupDeletion, MessageQueries messages,
                           JobQueries jobs, ParkedQueue parked, ServiceQueries dataNodes,
                           BackupVerification verification, BackupBrowsing browsing, ShareTypeService types) {
        /** Without {@code /v2/types}. */
        public Services(Database database, ShareService shares, ShareCreationService shareCreation,
                        ShareChanges shareChanges, BackupQueries backups, BackupCreationService backupCreation,
                        RestoreService restores, BackupChanges backupChanges, BackupDeletionService backupDeletion,
                        MessageQueries messages, JobQueries jobs, ParkedQueue parked, ServiceQueries dataNodes,
                        BackupVerification verification, BackupBrowsing browsing) {
            this(database, shares, shareCreation, shareChanges, backups, backupCreation, restores, backupChanges,
                    backupDeletion, messages, jobs, parked, dataNodes, verification, browsing, null);
        }

        /** Without the verify action and {@code /files}. */
        public Services(Database database, ShareService shares, ShareCreationService shareCreation,
                        ShareChanges shareChanges, BackupQueries backups, BackupCreationService backupCreation,
                        RestoreService restores, BackupChanges backupChanges, BackupDeletionService backupDeletion,
                        MessageQueries messages, JobQueries jobs, ParkedQueue parked, ServiceQueries dataNodes) {
            this(database, shares, shareCreation, shareChanges, backups, backupCreation, restores, backupChanges,
                    backupDeletion, messages, jobs, parked, dataNodes, null, null, null);
        }

        /** Without {@code /v2/services}, the verify action and {@code /files}. */
        public Services(Database database, ShareService shares, ShareCreationService shareCreation,
                        ShareChanges shareChanges, BackupQueries backups, BackupCreationService backupCreation,
                        RestoreService restores, BackupChanges backupChanges, BackupDeletionService backupDeletion,
                        MessageQueries messages, JobQueries jobs, ParkedQueue parked) {
            this(database, shares, shareCreation, shareChanges, backups, backupCreation, restores, backupChanges,
                    backupDeletion, messages, jobs, parked, null, null, null, null);
        }
    }

    /** Links to http://127.0.0.1:<bound port>, lists of at most {@value ApiLimits#DEFAULT_MAX_PAGE_SIZE} items. */
    public HttpApi(Services services, Authenticator authenticator) {
        this(services, authenticator, PublicUrl.ofBind("http", "127.0.0.1", 0), ApiLimits.DEFAULT_MAX_PAGE_SIZE,
                HttpServerSettings.DEFAULTS);
    }

    /** Links to the bound port over http or https, lists of at most {@value ApiLimits#DEFAULT_MAX_PAGE_SIZE} items. */
    public HttpApi(Services services, Authenticator authenticator, HttpServerSettings settings) {
        this(services, authenticator, PublicUrl.ofBind(settings.tls() ? "https" : "http", "127.0.0.1", 0),
                ApiLimits.DEFAULT_MAX_PAGE_SIZE, settings);
    }

    /** With the default HTTP server settings (plain HTTP). */
    public HttpApi(Services services, Authenticator authenticator, PublicUrl publicUrl, int maxPageSize) {
        this(services, authenticator, publicUrl, maxPageSize, HttpServerSettings.DEFAULTS);
    }

    /**
     * Every link in a response starts with {@code publicUrl} (a port of 0 there means the port bound on start);
     * every list holds at most {@code maxPageSize} items; {@code settings}' timeouts, data rate and threads, and
     * HTTPS when they name certificate files (read now: an IllegalArgumentException says what is wrong with them).
     */
    public HttpApi(Services services, Authenticator authenticator, PublicUrl publicUrl, int maxPageSize,
                   HttpServerSettings settings) {
        this(services, authenticator, publicUrl, maxPageSize, settings, new HttpMetrics(new CompositeMeterRegistry()));
    }

    /** As above, timing every request into {@code metrics}. */
    public HttpApi(Services services, Authenticator authenticator, PublicUrl publicUrl, int maxPageSize,
                   HttpServerSettings settings, HttpMetrics metrics) {
        PublicUrl links = publicUrl.onBoundPort(this::port);
        Paging paging = new Paging(links, maxPageSize);
        RequestFilter filter = new RequestFilter(authenticator);
        this.tls = settings.tls() ? new TlsCertificates(settings.tlsCertFile(), settings.tlsKeyFile(),
                TlsCertificates.DEFAULT_INTERVAL) : null;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.defaultContentType = "application/json";
            QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), 8, 60_000);
            threads.setName("ferry-http");
            config.jetty.threadPool = threads;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            RequestBodyLimits.apply(config, MAX_BODY_BYTES, settings.minRequestBytesPerSecond());
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler.InContext()));
            config.jetty.addConnector((server, http) -> connector(server, http, settings));
            config.routes.before(metrics::before);
            config.routes.before(filter::before);
            config.routes.after(filter::after);
            config.routes.after(metrics::after);
            config.routes.exception(ApiError.class, (e, ctx) -> {
                if (e.status() == 401 && authenticator.challenge() != null) {
                    ctx.header("WWW-Authenticate", authenticator.challenge());
                }
                Faults.write(ctx, e.status(), e.getMessage());
            });
            config.routes.exception(HttpResponseException.class, HttpApi::routingError);
            config.routes.exception(DataAccessException.class, HttpApi::databaseError);
            config.routes.exception(BrokerUnavailableException.class, HttpApi::brokerError);
            config.routes.exception(Exception.class, HttpApi::unexpected);
            new RootRoutes(services.database(), links).register(config.routes);
            V2Router router = new V2Router(config.routes);
            new ShareRoutes(services.shares(), services.shareCreation(), services.shareChanges(), links, paging)
                    .register(router);
            new BackupRoutes(services.backups(), services.backupCreation(), services.restores(),
                    services.backupChanges(), services.backupDeletion(), services.verification(),
                    services.browsing(), paging).register(router);
            new MessageRoutes(services.messages(), links, paging).register(router);
            if (services.types() != null) {
                new ShareTypeRoutes(services.types()).register(router);
            }
            if (services.dataNodes() != null) {
                new ServiceRoutes(services.dataNodes()).register(router);
            }
            new AdminJobRoutes(services.jobs(), maxPageSize).register(config.routes);
            new ParkedRoutes(services.parked(), maxPageSize).register(config.routes);
        });
    }

    public HttpApi start(String host, int port) {
        this.host = host;
        this.port = port;
        try {
            app.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Manila v2 API listening on {}://{}:{}/", tls == null ? "http" : "https", host, app.port());
        return this;
    }

    /** Whether the API port speaks HTTPS. */
    public boolean tls() {
        return tls != null;
    }

    /** The API's one connector: HTTP, or HTTPS only when certificate files are set, with the idle timeout. */
    private Connector connector(Server server, HttpConfiguration http, HttpServerSettings settings) {
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            HttpConfiguration https = new HttpConfiguration(http);
            https.setSecureScheme("https");
            https.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(server, new SslConnectionFactory(tls.factory(), "http/1.1"),
                    new HttpConnectionFactory(https));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        return connector;
    }

    public int port() {
        return app.port();
    }

    /**
     * The routes this API serves, each as {@code "<METHOD> <path template>"} (e.g. {@code "GET /v2/shares/{share_id}"}),
     * sorted: what the API reference (docs/api/openapi.yaml) is checked against.
     */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(handler -> handler.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
                .sorted()
                .toList();
    }

    private static void routingError(HttpResponseException e, Context ctx) {
        switch (e.getStatus()) {
            case 404 -> Faults.write(ctx, 404, ApiError.NOT_FOUND_TEXT);
            case 405 -> Faults.write(ctx, 405, "The method " + ctx.method() + " is not allowed for " + ctx.path()
                    + ".");
            default -> Faults.write(ctx, e.getStatus(), e.getMessage());
        }
    }

    private static void databaseError(DataAccessException e, Context ctx) {
        if (e.unavailable()) {
            LOG.error("{} {} failed: the database is not reachable: {}", ctx.method(), ctx.path(), e.getMessage());
            Faults.write(ctx, 503, DATABASE_DOWN);
        } else {
            unexpected(e, ctx);
        }
    }

    private static void brokerError(BrokerUnavailableException e, Context ctx) {
        LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage());
        Faults.write(ctx, 503, e.getMessage());
    }

    private static void unexpected(Exception e, Context ctx) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        Faults.write(ctx, 500, "The server has either erred or is incapable of performing the requested operation.");
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            if (tls != null) {
                tls.close();
            }
        }
    }
}
