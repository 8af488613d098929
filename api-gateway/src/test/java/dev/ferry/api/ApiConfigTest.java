package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.messages.amqp.AmqpSettings;
import java.time.Duration;
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

    @Test
    void authSettings(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ApiConfig defaults = ApiConfig.fromEnv(Map.of());
        assertTrue(defaults.trustedProxies().contains("127.0.0.1"));
        assertTrue(defaults.trustedProxies().contains("::1"));
        assertFalse(defaults.trustedProxies().contains("10.0.0.1"));
        assertEquals(null, defaults.tokensFile());
        assertEquals(null, defaults.policyFile());

        ApiConfig keystone = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "Keystone-Proxy",
                "FERRY_TRUSTED_PROXIES", "10.0.0.0/8", "FERRY_POLICY_FILE", "/etc/ferry/policy.json"));
        assertEquals("keystone-proxy", keystone.auth());
        assertTrue(keystone.trustedProxies().contains("10.1.1.1"));
        assertFalse(keystone.trustedProxies().contains("127.0.0.1"));
        assertEquals(java.nio.file.Path.of("/etc/ferry/policy.json"), keystone.policyFile());

        java.nio.file.Path tokens = java.nio.file.Files.writeString(dir.resolve("tokens"), "# none yet\n");
        ApiConfig withTokens = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "tokens", "FERRY_TOKENS_FILE", tokens.toString()));
        assertEquals(tokens, withTokens.tokensFile());
        assertTrue(withTokens.openAuthenticator() instanceof dev.ferry.api.http.TokensAuthenticator);

        assertNames("FERRY_TOKENS_FILE", Map.of("FERRY_AUTH", "tokens"));
        assertNames("FERRY_TRUSTED_PROXIES", Map.of("FERRY_AUTH", "keystone-proxy", "FERRY_TRUSTED_PROXIES",
                "10.0.0.0/40"));
        assertNames("FERRY_KEYSTONE_URL", Map.of("FERRY_AUTH", "keystone"));
        assertNames("FERRY_KEYSTONE_USER", Map.of("FERRY_AUTH", "keystone", "FERRY_KEYSTONE_URL",
                "http://keystone:5000/v3"));
        assertNames("FERRY_KEYSTONE_CACHE_SECONDS", Map.of("FERRY_AUTH", "keystone", "FERRY_KEYSTONE_URL",
                "http://keystone:5000/v3", "FERRY_KEYSTONE_USER", "ferry", "FERRY_KEYSTONE_PASSWORD", "p",
                "FERRY_KEYSTONE_PROJECT", "service", "FERRY_KEYSTONE_CACHE_SECONDS", "5m"));
        ApiConfig validating = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "keystone", "FERRY_KEYSTONE_URL",
                "http://keystone:5000/v3/", "FERRY_KEYSTONE_USER", "ferry", "FERRY_KEYSTONE_PASSWORD", "s3cr3t-pw",
                "FERRY_KEYSTONE_PROJECT", "service"));
        assertEquals("http://keystone:5000/v3", validating.keystone().identityUrl().toString());
        assertEquals("http://keystone:5000", validating.keystone().wwwAuthenticateUri());
        assertEquals("Default", validating.keystone().userDomain());
        assertEquals(300, validating.keystone().cacheTime().toSeconds());
        assertFalse(validating.keystone().toString().contains("s3cr3t-pw"), "the password is never printed");
        ApiConfig missingFile = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "tokens", "FERRY_TOKENS_FILE",
                dir.resolve("missing").toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, missingFile::openAuthenticator);
        assertTrue(e.getMessage().contains("FERRY_TOKENS_FILE"), e.getMessage());
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

    @Test
    void readsTheJobRetentionAndRefusesNoneOrNegative() {
        assertEquals(Duration.ofDays(30), ApiConfig.fromEnv(Map.of()).limits().jobRetention());
        assertEquals(Duration.ofDays(7), ApiConfig.fromEnv(Map.of("FERRY_JOB_RETENTION_DAYS", "7")).limits()
                .jobRetention());
        for (String refused : new String[] {"0", "-1", "36501"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ApiConfig.fromEnv(Map.of("FERRY_JOB_RETENTION_DAYS", refused)));
            assertEquals("FERRY_JOB_RETENTION_DAYS is " + refused + "; give how many days finished jobs and sent "
                    + "outbox rows are kept before they are deleted, from 1 to 36500 (default 30)", e.getMessage());
        }
        IllegalArgumentException words = assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(Map.of("FERRY_JOB_RETENTION_DAYS", "a month")));
        assertEquals("FERRY_JOB_RETENTION_DAYS is 'a month'; give a number of days, e.g. 30", words.getMessage());
    }

    @Test
    void readsTheJobAttemptLimit() {
        assertEquals(5, ApiConfig.fromEnv(Map.of()).jobMaxAttempts());
        assertEquals(2, ApiConfig.fromEnv(Map.of("FERRY_JOB_MAX_ATTEMPTS", "2")).jobMaxAttempts());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(Map.of("FERRY_JOB_MAX_ATTEMPTS", "0")));
        assertEquals("FERRY_JOB_MAX_ATTEMPTS is 0; it must be at least 1 (default 5)", zero.getMessage());
        assertNames("FERRY_JOB_MAX_ATTEMPTS", Map.of("FERRY_JOB_MAX_ATTEMPTS", "many"));
    }

    @Test
    void readsTheExportsThatManageRefusesAndLocalMode() {
        ApiConfig defaults = ApiConfig.fromEnv(Map.of());
        assertEquals(null, defaults.backupRepository());
        assertEquals(null, defaults.shareBase());
        assertFalse(defaults.localExports(), "unset templates are Manila's mount templates");

        ApiConfig set = ApiConfig.fromEnv(Map.of("FERRY_BACKUP_EXPORT", "NFS.example:/backups/",
                "FERRY_SHARE_BASE_EXPORT", "[FD00::1]:/shares", "FERRY_SHARE_MOUNT_TEMPLATE", ""));
        assertEquals(new dev.ferry.api.service.ExportPath("nfs.example", "/backups"), set.backupRepository());
        assertEquals("[fd00:0:0:0:0:0:0:1]:/shares", set.shareBase().toString());
        assertTrue(set.localExports(), "an empty share mount template is local mode, as for data nodes");
        assertFalse(ApiConfig.fromEnv(Map.of("FERRY_SHARE_MOUNT_TEMPLATE", "mount --bind %(export)s %(path)s"))
                .localExports());
        assertEquals(java.nio.file.Path.of("var/backups").toAbsolutePath().toString(),
                ApiConfig.fromEnv(Map.of("FERRY_BACKUP_EXPORT", "var/backups")).backupRepository().path(),
                "a relative folder is taken from the working directory, as a data node takes it");

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ApiConfig.fromEnv(Map.of("FERRY_BACKUP_EXPORT", "-o bind:/x")));
        assertTrue(bad.getMessage().startsWith("FERRY_BACKUP_EXPORT '-o bind:/x' is not an export path: it contains "
                + "whitespace"), bad.getMessage());
        assertNames("FERRY_SHARE_BASE_EXPORT", Map.of("FERRY_SHARE_BASE_EXPORT", "filer:/a/../b"));
    }
}
