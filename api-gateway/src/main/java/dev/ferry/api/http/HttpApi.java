package dev.ferry.api.http;

import dev.ferry.api.ApiLimits;
import dev.ferry.api.db.DataAccessException;
import dev.ferry.api.db.Database;
import dev.ferry.api.parked.BrokerUnavailableException;
import dev.ferry.api.parked.ParkedQueue;
import dev.ferry.api.service.ApiError;
import dev.ferry.api.service.BackupChanges;
import dev.ferry.api.service.BackupCreationService;
import dev.ferry.api.service.BackupDeletionService;
import dev.ferry.api.service.BackupQueries;
import dev.ferry.api.service.JobQueries;
import dev.ferry.api.service.MessageQueries;
import dev.ferry.api.service.RestoreService;
import dev.ferry.api.service.ShareChanges;
import dev.ferry.api.service.ShareCreationService;
import dev.ferry.api.service.ShareService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
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

    /** Bodies above 1 MiB are refused with 413 overLimit. */
    public static final long MAX_BODY_BYTES = 1L << 20;

    /** What 503 says while the database cannot be reached. */
    public static final String DATABASE_DOWN = "The database is not reachable right now; nothing was changed. "
            + "Retry later.";

    /** The services the routes call; {@code parked} is null when there is no broker. */
    public record Services(Database database, ShareService shares, ShareCreationService shareCreation,
                           ShareChanges shareChanges, BackupQueries backups,
                           BackupCreationService backupCreation, RestoreService restores, BackupChanges backupChanges,
                           BackupDeletionService backupDeletion, MessageQueries messages,
                           JobQueries jobs, ParkedQueue parked) {
    }

    /** Links to http://127.0.0.1:<bound port>, lists of at most {@value ApiLimits#DEFAULT_MAX_PAGE_SIZE} items. */
    public HttpApi(Services services, Authenticator authenticator) {
        this(services, authenticator, PublicUrl.ofBind("http", "127.0.0.1", 0), ApiLimits.DEFAULT_MAX_PAGE_SIZE);
    }

    /**
     * Every link in a response starts with {@code publicUrl} (a port of 0 there means the port bound on start);
     * every list holds at most {@code maxPageSize} items.
     */
    public HttpApi(Services services, Authenticator authenticator, PublicUrl publicUrl, int maxPageSize) {
        PublicUrl links = publicUrl.onBoundPort(this::port);
        Paging paging = new Paging(links, maxPageSize);
        RequestFilter filter = new RequestFilter(authenticator);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.defaultContentType = "application/json";
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
        });
        app.before(filter::before);
        app.after(filter::after);
        app.exception(ApiError.class, (e, ctx) -> Faults.write(ctx, e.status(), e.getMessage()));
        app.exception(HttpResponseException.class, HttpApi::routingError);
        app.exception(DataAccessException.class, HttpApi::databaseError);
        app.exception(BrokerUnavailableException.class, HttpApi::brokerError);
        app.exception(Exception.class, HttpApi::unexpected);
        new RootRoutes(services.database(), links).register(app);
        V2Router router = new V2Router(app);
        new ShareRoutes(services.shares(), services.shareCreation(), services.shareChanges(), links, paging)
                .register(router);
        new BackupRoutes(services.backups(), services.backupCreation(), services.restores(),
                services.backupChanges(), services.backupDeletion(), paging).register(router);
        new MessageRoutes(services.messages(), links, paging).register(router);
        new AdminJobRoutes(services.jobs(), maxPageSize).register(app);
        new ParkedRoutes(services.parked(), maxPageSize).register(app);
    }

    public HttpApi start(String host, int port) {
        app.start(host, port);
        LOG.info("Manila v2 API listening on http://{}:{}/", host, app.port());
        return this;
    }

    public int port() {
        return app.port();
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
        app.stop();
    }
}
