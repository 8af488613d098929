package dev.ferry.api.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads each request body before the API sees it, without holding a thread while the bytes arrive. A body over
 * {@code maxBytes} is answered 413 as soon as it is known to be too big (its {@code Content-Length}, or the byte
 * that passes the limit of a chunked body), without reading the rest; a body that arrives slower than
 * {@code minBytesPerSecond} (counted from its first byte) is answered 408. The handler behind reads the whole
 * body from memory, so a slow client never holds one of the server's threads.
 */
final class BufferedBodyHandler extends Handler.Wrapper {
    /** How much of a refused body is read and dropped, in limits, so that the client reads the 413. */
    static final int DRAIN_FACTOR = 16;
    private final long maxBytes;
    private final long minBytesPerSecond;

    BufferedBodyHandler(long maxBytes, long minBytesPerSecond) {
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long length = -1;
        boolean chunked = false;
        for (HttpField field : request.getHeaders()) {
            if (field.getHeader() == HttpHeader.CONTENT_LENGTH) {
                length = field.getLongValue();
            } else if (field.getHeader() == HttpHeader.TRANSFER_ENCODING) {
                chunked = field.contains(HttpHeaderValue.CHUNKED.asString());
            }
        }
        if (!chunked && length <= 0) {
            return super.handle(request, response, callback);
        }
        if (!chunked && length > maxBytes) {
            tooLarge(request, response, callback, length + " bytes");
            return true;
        }
        new Loader(request, response, callback, (int) Math.min(chunked ? 8192 : length, 65_536)).read(false);
        return true;
    }

    /**
     * Answers 413 with Manila's fault body and {@code Connection: close}, then reads and drops what the client
     * still sends, up to {@link #DRAIN_FACTOR} times the limit, before the connection closes: a client that sends
     * its whole body before it reads (as most do) then reads the 413 instead of a reset connection.
     */
    private void tooLarge(Request request, Response response, Callback callback, String size) {
        String message = "The request body is " + size + "; the API accepts at most " + maxBytes + " bytes.";
        response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE_413);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        Callback drain = request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())
                ? callback : new Drain(request, callback, DRAIN_FACTOR * maxBytes);
        response.write(true, ByteBuffer.wrap(JsonErrorHandler.text(HttpStatus.PAYLOAD_TOO_LARGE_413, message)
                .getBytes(StandardCharsets.UTF_8)), drain);
    }

    /** After the answer is sent: reads and drops the rest of the body, up to a bound, then completes. */
    private final class Drain implements Callback, Invocable.Task {
        private final Request request;
        private final Callback callback;
        private final long startNanos = NanoTime.now();
        private long left;
        private long dropped;

        Drain(Request request, Callback callback, long left) {
            this.request = request;
            this.callback = callback;
            this.left = left;
        }

        @Override
        public void succeeded() {
            run();
        }

        @Override
        public void failed(Throwable x) {
            callback.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    long millis = TimeUnit.NANOSECONDS.toMillis(NanoTime.since(startNanos));
                    if (minBytesPerSecond > 0 && millis >= 1000 && dropped < minBytesPerSecond * millis / 1000) {
                        callback.succeeded();
                        return;
                    }
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.succeeded();
                    return;
                }
                int n = chunk.remaining();
                boolean last = chunk.isLast();
                chunk.release();
                dropped += n;
                left -= n;
                if (last || left <= 0) {
                    callback.succeeded();
                    return;
                }
            }
        }
    }

    /** Reads one request's body into memory; each arrival of bytes runs it again without blocking. */
    private final class Loader implements Invocable.Task {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private byte[] body;
        private int size;
        private long firstByteNanos;

        Loader(Request request, Response response, Callback callback, int expected) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.body = new byte[Math.max(16, expected)];
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void run() {
            read(true);
        }

        private void read(boolean fromDemand) {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    if (tooSlow()) {
                        refuse(HttpStatus.REQUEST_TIMEOUT_408, "The request body arrived slower than "
                                + minBytesPerSecond + " bytes per second; send it faster.");
                        return;
                    }
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    if (failure instanceof TimeoutException) {
                        refuse(HttpStatus.REQUEST_TIMEOUT_408, "The request body did not arrive in time.");
                    } else {
                        Response.writeError(request, response, callback, failure);
                    }
                    return;
                }
                int n = chunk.remaining();
                if (size + (long) n > maxBytes) {
                    chunk.release();
                    body = null;
                    tooLarge(request, response, callback, "more than " + maxBytes + " bytes");
                    return;
                }
                if (n > 0) {
                    if (firstByteNanos == 0) {
                        firstByteNanos = NanoTime.now();
                    }
                    if (size + n > body.length) {
                        body = Arrays.copyOf(body, (int) Math.min(maxBytes, Math.max(size + n, 2L * body.length)));
                    }
                    chunk.getByteBuffer().get(body, size, n);
                    size += n;
                }
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    if (fromDemand) {
                        request.getContext().execute(this::dispatch);
                    } else {
                        dispatch();
                    }
                    return;
                }
            }
        }

        /** Whether, a second or more after the first byte, fewer bytes came than the minimum rate asks. */
        private boolean tooSlow() {
            if (minBytesPerSecond <= 0 || firstByteNanos == 0) {
                return false;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(NanoTime.since(firstByteNanos));
            return millis >= 1000 && size < minBytesPerSecond * millis / 1000;
        }

        private void refuse(int status, String message) {
            body = null;
            Response.writeError(request, response, callback, status, message);
        }

        private void dispatch() {
            Request buffered = new BufferedRequest(request, ByteBuffer.wrap(body, 0, size));
            try {
                if (!BufferedBodyHandler.super.handle(buffered, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable t) {
                Response.writeError(request, response, callback, t);
            }
        }
    }

    /** The request with its body from memory. */
    private static final class BufferedRequest extends Request.Wrapper {
        private Content.Chunk remaining;

        BufferedRequest(Request request, ByteBuffer body) {
            super(request);
            this.remaining = Content.Chunk.from(body, true);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = remaining;
            remaining = Content.Chunk.EOF;
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }

        @Override
        public boolean consumeAvailable() {
            remaining = Content.Chunk.EOF;
            return true;
        }
    }
}
