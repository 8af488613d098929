package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.ApiLimits;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where links point: FERRY_PUBLIC_URL, else the bind address (the host name when bound to all addresses). */
class PublicUrlTest {

    private static ApiConfig config(String... settings) {
        Map<String, String> env = new HashMap<>();
        env.put("FERRY_HOST", "test-host");
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return ApiConfig.fromEnv(env);
    }

    @Test
    void byDefaultLinksStartWithTheBindAddress() {
        assertEquals("http://127.0.0.1:8786", config().links("http").base());
        assertEquals("http://10.1.2.3:9000", config("FERRY_HTTP_BIND", "10.1.2.3:9000").links("http").base());
        assertEquals("http://[fd00::7]:8786", config("FERRY_HTTP_BIND", "[fd00::7]:8786").links("http").base());
        assertEquals("https://127.0.0.1:8786", config().links("https").base(), "https when the API serves TLS");
    }

    @Test
    void boundToAllAddressesLinksUseThisMachinesName() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        assertEquals("http://" + name + ":8786", config("FERRY_HTTP_BIND", "0.0.0.0:8786").links("http").base());
        assertEquals("http://" + name + ":8786", config("FERRY_HTTP_BIND", "[::]:8786").links("http").base());
    }

    @Test
    void thePublicUrlWinsWithoutATrailingSlash() {
        assertEquals("https://ferry.example.com", config("FERRY_PUBLIC_URL", "https://ferry.example.com/")
                .links("http").base());
        assertEquals("http://lb.example:8080/manila", config("FERRY_HTTP_BIND", "0.0.0.0:8786",
                "FERRY_PUBLIC_URL", " http://lb.example:8080/manila// ").links("https").base());
    }

    @Test
    void aPortOfZeroIsTheBoundPort() {
        assertEquals("http://127.0.0.1:40123", PublicUrl.ofBind("http", "127.0.0.1", 0).onBoundPort(() -> 40123)
                .base());
        assertEquals("https://a.example", PublicUrl.parse("https://a.example").onBoundPort(() -> 1).base());
    }

    @Test
    void aPublicUrlThatIsNotABaseUrlIsRefusedWithWhatToSet() {
        for (String bad : new String[] {"ferry.example.com", "ftp://ferry.example.com", "https://u:p@ferry.example",
                "https://ferry.example/?x=1", "https://ferry.example/#top", "http:// bad"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> config("FERRY_PUBLIC_URL", bad), bad);
            assertTrue(e.getMessage().startsWith("FERRY_PUBLIC_URL '"), e.getMessage());
            assertTrue(e.getMessage().contains("e.g. https://ferry.example.com"), e.getMessage());
        }
    }

    @Test
    void theMaximumPageSizeIsManilasUnlessSet() {
        assertEquals(ApiLimits.DEFAULT_MAX_PAGE_SIZE, config().limits().maxPageSize());
        assertEquals(1000, ApiLimits.DEFAULT_MAX_PAGE_SIZE);
        assertEquals(50, config("FERRY_MAX_PAGE_SIZE", "50").limits().maxPageSize());
        for (String bad : new String[] {"0", "-1", "many"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> config("FERRY_MAX_PAGE_SIZE", bad), bad);
            assertTrue(e.getMessage().startsWith("FERRY_MAX_PAGE_SIZE is"), e.getMessage());
        }
    }
}
