package dev.ferry.api.service;

import dev.ferry.api.jobs.kinds.Refusal;

/** A request that cannot be served, with the HTTP status and the message Manila would give. */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final String NOT_FOUND_TEXT = "The resource could not be found.";
    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    /** What Manila answers for a path, method or microversion that does not exist. */
    public static ApiError noSuchResource() {
        return new ApiError(404, NOT_FOUND_TEXT);
    }

    /** What the API answers when a job kind's admission refuses. */
    public static ApiError of(Refusal refusal) {
        return new ApiError(refusal.httpStatus(), refusal.answer());
    }

    public static ApiError unprocessable(String message) {
        return new ApiError(422, message);
    }
}
