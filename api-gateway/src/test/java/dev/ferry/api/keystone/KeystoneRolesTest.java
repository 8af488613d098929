package dev.ferry.api.keystone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.http.Authenticator;
import dev.ferry.api.service.Policies;
import dev.ferry.api.service.Policy;
import dev.ferry.messages.RequestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keystone roles as Manila's default policies see them. */
class KeystoneRolesTest {
    private final Policies policies = Policies.defaults();

    private RequestContext caller(String... tokenRoles) {
        return Authenticator.context("u-1", "p-1", "demo", KeystoneRoles.effective(List.of(tokenRoles)), "req-1",
                "127.0.0.1");
    }

    @Test
    void keystonesDefaultImpliedRolesAreAddedWhenATokenDoesNotListThem() {
        assertEquals(List.of("admin", "member", "reader"), KeystoneRoles.effective(List.of("Admin")));
        assertEquals(List.of("member", "reader"), KeystoneRoles.effective(List.of("member")));
        assertEquals(List.of("member", "reader"), KeystoneRoles.effective(List.of("member", "reader")));
        assertEquals(List.of("reader"), KeystoneRoles.effective(List.of("reader", " ")));
        assertEquals(List.of("load-balancer_member"), KeystoneRoles.effective(List.of("load-balancer_member")));
    }

    @Test
    void aReaderMayReadButNotWrite() {
        RequestContext reader = caller("reader");
        assertFalse(reader.isAdmin());
        assertTrue(policies.allows(Policy.BACKUP_GET_ALL, reader));
        assertTrue(policies.allows(Policy.SHARE_GET, reader));
        assertFalse(policies.allows(Policy.BACKUP_CREATE, reader));
        assertFalse(policies.allows(Policy.BACKUP_RESTORE, reader));
        assertFalse(policies.allows(Policy.SHARE_CREATE, reader));
    }

    @Test
    void aMemberReadsAndWritesButIsNoAdmin() {
        RequestContext member = caller("member");
        assertFalse(member.isAdmin());
        assertTrue(policies.allows(Policy.BACKUP_GET, member));
        assertTrue(policies.allows(Policy.BACKUP_CREATE, member));
        assertTrue(policies.allows(Policy.BACKUP_RESTORE, member));
        assertFalse(policies.allows(Policy.SHARE_MANAGE, member));
        assertFalse(policies.allows(Policy.BACKUP_GET_ALL_PROJECT, member));
    }

    @Test
    void anAdminIsAnAdmin() {
        RequestContext admin = caller("admin");
        assertTrue(admin.isAdmin());
        assertTrue(policies.allows(Policy.SHARE_MANAGE, admin));
        assertTrue(policies.allows(Policy.BACKUP_GET_ALL_PROJECT, admin));
    }

    @Test
    void aTokenWithoutTheKnownRolesMayDoNothing() {
        RequestContext other = caller("heat_stack_user");
        assertFalse(policies.allows(Policy.BACKUP_GET_ALL, other));
        assertFalse(policies.allows(Policy.BACKUP_CREATE, other));
    }
}
