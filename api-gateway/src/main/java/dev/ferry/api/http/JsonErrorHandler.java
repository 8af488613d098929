package dev.ferry.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.messages.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (bad URIs, oversized headers, bodies over the limit, too slow bodies) as Manila fault
 * bodies instead of HTML pages, whatever the request's {@code Accept} says.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Every method gets a fault body (Jetty's default gives bodies to GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        closeAfter(response);
        if (!generateAcceptableResponse(request, response, callback, "application/json",
                List.of(StandardCharsets.UTF_8), code, message, cause)) {
            callback.succeeded();
        }
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(text(code, message));
    }

    /** The same inside the servlet context, for errors Jetty raises there. */
    static final class InContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) throws IOException {
            closeAfter(response);
            if (!generateAcceptableResponse(request, response, callback, "application/json",
                    List.of(StandardCharsets.UTF_8), code, message, cause)) {
                callback.succeeded();
            }
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
                                      Throwable cause) {
            writer.write(text(code, message));
        }
    }

    /**
     * Jetty's errors end the connection (the request's body may be unread), so they say so: a client must not
     * send its next request on it.
     */
    private static void closeAfter(Response response) {
        if (!response.isCommitted()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
    }

    static String text(int status, String message) {
        try {
            return Json.mapper().writeValueAsString(Faults.body(status, message == null || message.isBlank()
                    ? "Request failed" : message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
