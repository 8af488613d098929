package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiGateway;
import dev.ferry.messages.amqp.AmqpSettings;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With the broker unreachable, the parked-message API answers 503 and says so; the rest keeps working. */
class BrokerUnreachableTest {

    @Test
    void parkedMessagesAnswer503WhileTheBrokerIsAway() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        AmqpSettings nowhere = new AmqpSettings("amqp://guest:guest@127.0.0.1:" + closed + "/%2F", "openstack", true);
        try (ApiGateway gateway = ApiGateway.start(new ApiConfig("127.0.0.1", 0,
                "jdbc:h2:mem:nobroker-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", nowhere, "noauth",
                "test-host"))) {
            ApiClient api = new ApiClient(gateway.port());
            for (ApiClient.Call call : new ApiClient.Call[] {
                api.call("GET", "/admin/parked"), api.call("GET", "/admin/parked/some-id"),
                api.call("POST", "/admin/parked/replay").body("{\"all\": true}"),
                api.call("POST", "/admin/parked/purge").body("{\"ids\": [\"some-id\"]}")}) {
                ApiClient.Response down = call.token("admin:admin").send();
                assertEquals(503, down.status(), down.toString());
                assertEquals("computeFault", down.fault());
                assertTrue(down.message().startsWith("RabbitMQ is not reachable right now ("), down.message());
                assertTrue(down.message().endsWith("nothing was changed. Retry later."), down.message());
            }
            assertEquals(200, api.call("GET", "/admin/jobs").token("admin:admin").send().status());
        }
    }
}
