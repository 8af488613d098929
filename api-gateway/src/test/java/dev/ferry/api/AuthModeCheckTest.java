package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthModeCheckTest {

    @Test
    void anUnsetOrBlankFerryAuthIsRefusedSayingWhatToSet() {
        for (Map<String, String> settings : List.of(Map.<String, String>of(), Map.of("FERRY_AUTH", " "))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> AuthModeCheck.requireChosen(settings));
            assertTrue(refused.getMessage().startsWith("FERRY_AUTH is not set: set FERRY_AUTH=tokens (with "
                    + "FERRY_TOKENS_FILE"), refused.getMessage());
            assertTrue(refused.getMessage().contains("FERRY_AUTH=keystone (Keystone tokens"), refused.getMessage());
            assertTrue(refused.getMessage().contains("FERRY_AUTH=keystone-proxy"), refused.getMessage());
            assertTrue(refused.getMessage().contains("noauth is for development on 127.0.0.1 only"),
                    refused.getMessage());
        }
        for (String mode : List.of("noauth", "tokens", "keystone", "keystone-proxy")) {
            assertDoesNotThrow(() -> AuthModeCheck.requireChosen(Map.of("FERRY_AUTH", mode)));
        }
    }

    @Test
    void noauthIsRefusedOnEveryAddressButLoopback() {
        for (String bind : List.of("0.0.0.0:8786", "[::]:8786", "192.0.2.10:8786", "ferry.example:8786",
                "[fd00::1]:8786")) {
            ApiConfig config = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "noauth", "FERRY_HTTP_BIND", bind));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> AuthModeCheck.requireLoopbackForNoauth(config), bind);
            assertTrue(refused.getMessage().startsWith("FERRY_AUTH=noauth is refused on FERRY_HTTP_BIND=" + bind
                    + ": with noauth anyone who reaches the API is an admin"), refused.getMessage());
            assertTrue(refused.getMessage().contains("set FERRY_AUTH=tokens (with FERRY_TOKENS_FILE"),
                    refused.getMessage());
        }
        for (String bind : List.of("127.0.0.1:8786", "127.0.1.1:0", "localhost:8786", "LocalHost:1", "[::1]:8786",
                "[0:0:0:0:0:0:0:1]:8786")) {
            ApiConfig config = ApiConfig.fromEnv(Map.of("FERRY_AUTH", "noauth", "FERRY_HTTP_BIND", bind));
            assertDoesNotThrow(() -> AuthModeCheck.requireLoopbackForNoauth(config), bind);
        }
    }

    @Test
    void otherModesServeAnyAddress(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# none yet\n");
        for (Map<String, String> settings : List.of(
                Map.of("FERRY_AUTH", "tokens", "FERRY_TOKENS_FILE", tokens.toString(), "FERRY_HTTP_BIND", "0.0.0.0:8786"),
                Map.of("FERRY_AUTH", "keystone-proxy", "FERRY_HTTP_BIND", "[::]:8786"),
                Map.of("FERRY_AUTH", "keystone", "FERRY_HTTP_BIND", "[::]:8786", "FERRY_KEYSTONE_URL",
                        "http://keystone.example:5000/v3", "FERRY_KEYSTONE_USER", "ferry", "FERRY_KEYSTONE_PASSWORD",
                        "secret", "FERRY_KEYSTONE_PROJECT", "service"))) {
            assertDoesNotThrow(() -> AuthModeCheck.requireLoopbackForNoauth(ApiConfig.fromEnv(settings)),
                    settings::toString);
        }
    }

    @Test
    void onlyLoopbackLiteralsAndLocalhostAreLoopback() {
        assertTrue(AuthModeCheck.isLoopback("127.255.255.254"));
        assertTrue(AuthModeCheck.isLoopback("::ffff:127.0.0.1"));
        assertFalse(AuthModeCheck.isLoopback("128.0.0.1"));
        assertFalse(AuthModeCheck.isLoopback("0.0.0.0"));
        assertFalse(AuthModeCheck.isLoopback("::"));
        assertFalse(AuthModeCheck.isLoopback("localhost.example"), "names other than localhost are not resolved");
    }

    @Test
    void theGatewayItselfRefusesNoauthOnAllAddresses() {
        ApiConfig everywhere = new ApiConfig("0.0.0.0", 0, "jdbc:h2:mem:never-opened", "sa", "", null,
                ApiConfig.NOAUTH, "test-host");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ApiGateway.start(everywhere).close());
        assertTrue(refused.getMessage().startsWith("FERRY_AUTH=noauth is refused on FERRY_HTTP_BIND=0.0.0.0:0"),
                refused.getMessage());
    }
}
