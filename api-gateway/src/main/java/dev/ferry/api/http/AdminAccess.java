package dev.ferry.api.http;

import dev.ferry.api.service.ApiError;
import io.javalin.http.Handler;

/** The admin API ({@code /admin/...}) serves admins only: it shows every project's jobs and the broker's state. */
final class AdminAccess {
    private AdminAccess() {
    }

    /** {@code handler}, after a 403 for anyone who is not an admin. */
    static Handler only(Handler handler) {
        return ctx -> {
            if (!Requests.caller(ctx).isAdmin()) {
                throw ApiError.forbidden("Only an admin may use " + ctx.path() + ": the admin API shows every "
                        + "project's jobs and parked messages. Send an admin's token.");
            }
            handler.handle(ctx);
        };
    }
}
