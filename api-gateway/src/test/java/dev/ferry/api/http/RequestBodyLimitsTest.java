package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javalin.Javalin;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The minimum data rate is about the wire: a route that pauses while it reads a body already in memory (as a thread
 * of a busy gateway is paused) still gets the whole body, whatever the body's size. Needs nothing but a free port.
 */
class RequestBodyLimitsTest {
    private Javalin app;

    @BeforeEach
    void start() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            RequestBodyLimits.apply(config, HttpApi.MAX_BODY_BYTES, 1024);
            config.routes.post("/pausing-reader", ctx -> {
                InputStream in = ctx.req().getInputStream();
                int first = in.read();
                Thread.sleep(200); // the thread is paused between two reads of the body
                byte[] rest = in.readAllBytes();
                ctx.result((first < 0 ? 0 : 1) + rest.length + " bytes");
            });
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void aTinyBodyReadWithAPauseIsNotRefusedAsSlow() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/pausing-reader"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{\"restore\": null}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("17 bytes", response.body());
    }
}
