package dev.ferry.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 over a plain socket, for requests no well-behaved client sends: bodies that never end or trickle. */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
    }

    /** Sends a request line and headers as alice of p1 at microversion 2.91 (the body, if any, follows). */
    RawHttp head(String method, String path, String... headers) throws IOException {
        StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Auth-Token: alice:p1\r\nX-OpenStack-Manila-API-Version: 2.91\r\n"
                + "X-OpenStack-Manila-API-Experimental: True\r\nContent-Type: application/json\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        text.append("\r\n");
        out().write(text.toString().getBytes(StandardCharsets.US_ASCII));
        out().flush();
        return this;
    }

    /** One chunk of a chunked body. */
    void chunk(byte[] bytes) throws IOException {
        out().write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out().write(bytes);
        out().write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out().flush();
    }

    OutputStream out() throws IOException {
        return socket.getOutputStream();
    }

    /** What the server answered: status, and the body as far as Content-Length says. */
    record Answer(int status, String headers, String body) {
    }

    Answer read() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended after " + head.size() + " bytes of response head: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server has closed the connection: reading ends (or is reset) after any response bytes. */
    boolean closedByServer() {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // skip what the server said before closing
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
