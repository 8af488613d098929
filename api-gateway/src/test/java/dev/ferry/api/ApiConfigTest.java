package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.messages.amqp.AmqpSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    @Test
    void defaultsWorkOnALaptop() {
        ApiConfig config = ApiConfig.fromEnv(Map.of());
        assertEquals("127.0.0.1", config.httpHost());
        assertEquals(8786, config.httpPort());
        assertEquals("jdbc:h2:file:./var/ferry-db;DB_CLOSE_ON_EXIT=FALSE", config.dbUrl());
        assertEquals("sa", config.dbUser());
        assertEquals("", config.dbPassword());
        assertEquals(AmqpSettings.DEFAULT_URI, config.amqp().uri());
        assertEquals("openstack", config.amqp().exchange());
        assertTrue(config.amqp().quorum());
        assertEquals("noauth", config.auth());
        assertFalse(config.host().isBlank());
    }

    @Test
    void readsEveryVariable() {
        ApiConfig config = ApiConfig.fromEnv(Map.of("FERRY_HTTP_BIND", "0.0.0.0:0",
                "FERRY_DB_URL", "jdbc:postgresql://db:5432/ferry", "FERRY_DB_USER", "ferry", "FERRY_DB_PASSWORD", "pw",
                "FERRY_AMQP_URI", "amqp://u:p@mq:5672/%2F", "FERRY_AMQP_EXCHANGE", "manila",
                "FERRY_AMQP_QUORUM", "False", "FERRY_AUTH", "noauth", "FERRY_HOST", "api-1"));
        assertEquals("0.0.0.0", config.httpHost());
        assertEquals(0, config.httpPort());
        assertEquals("ferry", config.dbUser());
        assertEquals("pw", config.dbPassword());
        assertEquals("manila", config.amqp().exchange());
        assertFalse(config.amqp().quorum());
        assertEquals("api-1", config.host());
        assertEquals("[::1]", "[" + ApiConfig.fromEnv(Map.of("FERRY_HTTP_BIND", "[::1]:80")).httpHost() + "]");
    }

    @Test
    void postgresUrlDefaultsToThePostgresUser() {
        assertEquals("postgres", ApiConfig.fromEnv(Map.of("FERRY_DB_URL", "jdbc:postgresql://db/ferry")).dbUser());
    }

    @Test
    void invalidValuesNameTheVariable() {
        assertNames("FERRY_HTTP_BIND", Map.of("FERRY_HTTP_BIND", "localhost"));
        assertNames("FERRY_HTTP_BIND", Map.of("FERRY_HTTP_BIND", "localhost:http"));
        assertNames("FERRY_HTTP_BIND", Map.of("FERRY_HTTP_BIND", "localhost:70000"));
        assertNames("FERRY_DB_URL", Map.of("FERRY_DB_URL", "jdbc:mysql://db/ferry"));
        assertNames("FERRY_AMQP_QUORUM", Map.of("FERRY_AMQP_QUORUM", "maybe"));
        assertNames("FERRY_AUTH", Map.of("FERRY_AUTH", "kerberos"));
    }

    private static void assertNames(String variable, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(env));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
    }

    @Test
    void readsQuotasAndMessageLifetime() {
        ApiConfig defaults = ApiConfig.fromEnv(Map.of());
        assertEquals(new ApiLimits(10, 1000, 2_592_000L), defaults.limits());
        ApiConfig set = ApiConfig.fromEnv(Map.of("FERRY_QUOTA_BACKUPS", "3", "FERRY_QUOTA_BACKUP_GIGABYTES", "-1",
                "FERRY_MESSAGE_TTL", "60"));
        assertEquals(new ApiLimits(3, -1, 60), set.limits());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(Map.of("FERRY_QUOTA_BACKUPS", "ten")));
        assertEquals("FERRY_QUOTA_BACKUPS is 'ten'; give a number of backups, e.g. 10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(Map.of("FERRY_MESSAGE_TTL", "0")));
        assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(Map.of("FERRY_QUOTA_BACKUPS", "-2")));
    }
}
