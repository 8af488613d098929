package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import io.javalin.http.Context;

/** What {@link RequestFilter} learned about a request, and the version gates handlers apply. */
public final class Requests {
    public static final String VERSION_HEADER = "X-OpenStack-Manila-API-Version";
    public static final String EXPERIMENTAL_HEADER = "X-OpenStack-Manila-API-Experimental";
    static final String CALLER = "ferry.caller";
    static final String VERSION = "ferry.version";
    static final String EXPERIMENTAL = "ferry.experimental";
    static final String REQUEST_ID = "ferry.request_id";

    private Requests() {
    }

    public static RequestContext caller(Context ctx) {
        RequestContext caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no caller: the request filter did not authenticate " + ctx.path());
        }
        return caller;
    }

    public static ApiVersion version(Context ctx) {
        ApiVersion version = ctx.attribute(VERSION);
        return version == null ? ApiVersion.MIN : version;
    }

    /** 404 (as for an unknown path) below {@code min}. */
    public static void requireVersion(Context ctx, ApiVersion min) {
        if (!version(ctx).atLeast(min)) {
            throw ApiError.noSuchResource();
        }
    }

    /** The share backup API exists from 2.80 and only for experimental requests; else 404. */
    public static void requireBackupApi(Context ctx) {
        requireVersion(ctx, ApiVersion.BACKUPS);
        if (!Boolean.TRUE.equals(ctx.attribute(EXPERIMENTAL))) {
            throw ApiError.noSuchResource();
        }
    }
}
