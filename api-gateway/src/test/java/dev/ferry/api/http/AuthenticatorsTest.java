package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** noauth and keystone-proxy, and FERRY_TRUSTED_PROXIES, without a server. */
class AuthenticatorsTest {
    private static final String LOCAL = "127.0.0.1";

    private static ApiError refused(Authenticator authenticator, Map<String, String> headers, String peer) {
        ApiError e = assertThrows(ApiError.class, () -> authenticator.authenticate(headers::get, peer, "req-1"));
        assertEquals(401, e.status());
        return e;
    }

    private static Map<String, String> keystone(String roles) {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Identity-Status", "Confirmed");
        headers.put("X-User-Id", "u-1");
        headers.put("X-Project-Id", "p-1");
        if (roles != null) {
            headers.put("X-Roles", roles);
        }
        return headers;
    }

    @Test
    void noauthMakesOnlyTheUserAdminAnAdmin() {
        NoAuthAuthenticator noauth = new NoAuthAuthenticator();
        RequestContext alice = noauth.authenticate(Map.of("X-Auth-Token", "alice:p1")::get, LOCAL, "req-1");
        assertEquals("alice", alice.userId());
        assertEquals("p1", alice.projectId());
        assertEquals(List.of("member", "reader"), alice.roles());
        assertFalse(alice.isAdmin());
        assertEquals("req-1", alice.requestId());
        RequestContext admin = noauth.authenticate(Map.of("X-Auth-Token", "admin:ops")::get, LOCAL, "req-2");
        assertTrue(admin.isAdmin());
        assertTrue(admin.roles().contains("admin"));
        assertTrue(refused(noauth, Map.of(), LOCAL).getMessage().contains("FERRY_AUTH=noauth"));
        assertTrue(refused(noauth, Map.of("X-Auth-Token", "alice"), LOCAL).getMessage().startsWith("Malformed"));
    }

    @Test
    void keystoneTakesTheIdentityFromConfirmedHeadersOfATrustedPeer() {
        KeystoneProxyAuthenticator keystone = new KeystoneProxyAuthenticator(TrustedProxies.defaults());
        Map<String, String> headers = keystone(" member , reader,");
        headers.put("X-Project-Name", "demo");
        RequestContext member = keystone.authenticate(headers::get, LOCAL, "req-1");
        assertEquals("u-1", member.userId());
        assertEquals("p-1", member.projectId());
        assertEquals("demo", member.projectName());
        assertEquals(List.of("member", "reader"), member.roles());
        assertFalse(member.isAdmin());
        assertTrue(keystone.authenticate(keystone("reader,admin")::get, "[0:0:0:0:0:0:0:1]", "r").isAdmin());
        assertEquals(List.of(), keystone.authenticate(keystone(null)::get, "::1", "r").roles());
    }

    @Test
    void keystoneRefusals() {
        KeystoneProxyAuthenticator keystone = new KeystoneProxyAuthenticator(TrustedProxies.parse("10.0.0.0/8"));
        assertTrue(refused(keystone, keystone("admin"), LOCAL).getMessage()
                .startsWith("This request came from 127.0.0.1, which is not a trusted proxy "
                        + "(FERRY_TRUSTED_PROXIES=10.0.0.0/8)"));
        assertEquals("u-1", keystone.authenticate(keystone("admin")::get, "10.1.2.3", "r").userId());

        Map<String, String> unconfirmed = keystone("admin");
        unconfirmed.put("X-Identity-Status", "Invalid");
        assertTrue(refused(keystone, unconfirmed, "10.1.2.3").getMessage().contains("is not Confirmed"));
        unconfirmed.remove("X-Identity-Status");
        assertTrue(refused(keystone, unconfirmed, "10.1.2.3").getMessage().contains("is missing"));
        Map<String, String> noUser = keystone("admin");
        noUser.remove("X-User-Id");
        assertTrue(refused(keystone, noUser, "10.1.2.3").getMessage().contains("no X-User-Id header"));
    }

    @Test
    void trustedProxiesMatchAddressesAndCidrsWithoutDns() {
        TrustedProxies proxies = TrustedProxies.parse(" 192.0.2.7 , 10.0.0.0/8, fd00::/8 ,::1");
        assertTrue(proxies.contains("192.0.2.7"));
        assertFalse(proxies.contains("192.0.2.8"));
        assertTrue(proxies.contains("10.255.0.1"));
        assertFalse(proxies.contains("11.0.0.1"));
        assertTrue(proxies.contains("fd12::1"));
        assertTrue(proxies.contains("[::1]"));
        assertTrue(proxies.contains("::ffff:10.0.0.1"), "an IPv4-mapped IPv6 peer is its IPv4 address");
        assertFalse(proxies.contains("localhost"));
        assertFalse(proxies.contains(null));
        assertTrue(TrustedProxies.defaults().contains("127.0.0.1"));
        assertFalse(TrustedProxies.defaults().contains("127.0.0.2"));
        assertTrue(TrustedProxies.parse("0.0.0.0/0").contains("203.0.113.9"));

        for (String bad : List.of("10.0.0.0/33", "proxy.example.com", "10.0.0.256", "10.0.0.0/x", "::1/129")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad));
            assertTrue(e.getMessage().startsWith("FERRY_TRUSTED_PROXIES entry '" + bad + "' is invalid"),
                    e.getMessage());
        }
    }
}
