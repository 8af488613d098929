package dev.ferry.api.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.messages.RequestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy check syntax, Manila's defaults, and a policy file's overrides and mistakes. No services needed. */
class PoliciesTest {
    private static final RequestContext ADMIN = caller("admin");
    private static final RequestContext MEMBER = caller("member", "reader");
    private static final RequestContext READER = caller("reader");
    private static final RequestContext NOBODY = caller();

    private static RequestContext caller(String... roles) {
        return RequestContext.of("u", "p", List.of(roles).contains("admin"), List.of(roles));
    }

    private static boolean check(String text, String... roles) {
        return PolicyCheck.parse(text).allows(List.of(roles));
    }

    @Test
    void theDefaultsAreManilasReaderMemberAdminTable() {
        Policies p = Policies.defaults();
        for (Policy read : List.of(Policy.BACKUP_GET, Policy.BACKUP_GET_ALL, Policy.SHARE_GET, Policy.MESSAGE_GET)) {
            assertTrue(p.allows(read, READER), read.rule());
            assertTrue(p.allows(read, ADMIN), read.rule());
            assertFalse(p.allows(read, NOBODY), read.rule());
        }
        for (Policy write : List.of(Policy.BACKUP_CREATE, Policy.BACKUP_RESTORE, Policy.BACKUP_UPDATE,
                Policy.BACKUP_DELETE, Policy.MESSAGE_DELETE)) {
            assertTrue(p.allows(write, MEMBER), write.rule());
            assertTrue(p.allows(write, ADMIN), write.rule());
            assertFalse(p.allows(write, READER), write.rule());
        }
        for (Policy admin : List.of(Policy.BACKUP_GET_ALL_PROJECT, Policy.BACKUP_RESET_STATUS, Policy.SHARE_MANAGE,
                Policy.SHARE_CREATE_PUBLIC)) {
            assertTrue(p.allows(admin, ADMIN), admin.rule());
            assertFalse(p.allows(admin, MEMBER), admin.rule());
        }
        ApiError denied = assertThrows(ApiError.class, () -> p.require(Policy.BACKUP_CREATE, READER));
        assertEquals(403, denied.status());
        assertEquals("Access was denied to this resource.", denied.getMessage());
    }

    @Test
    void checkSyntax() {
        assertTrue(check("role:admin", "admin"));
        assertTrue(check("role:Admin", "ADMIN"), "role names ignore case, as in oslo.policy");
        assertFalse(check("role:admin", "member"));
        assertTrue(check("@"));
        assertTrue(check(""), "an empty check lets anyone pass, as in oslo.policy");
        assertFalse(check("!", "admin"));
        assertTrue(check("role:a or role:b and role:c", "a"), "and binds tighter than or");
        assertFalse(check("(role:a or role:b) and role:c", "a"));
        assertTrue(check("(role:a or role:b) and role:c", "b", "c"));
        assertTrue(check("not role:a", "b"));
        assertFalse(check("not role:a", "a"));
        assertTrue(check("role:member and not (role:suspended)", "member"));
        assertFalse(check("role:member and not (role:suspended)", "member", "suspended"));
        assertTrue(check("not not role:a", "a"));
    }

    @Test
    void unparsableChecksSayWhy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyCheck.parse("rule:admin_api"))
                .getMessage().contains("refers to another rule"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PolicyCheck.parse("project_id:%(project_id)s")).getMessage().contains("not a check Ferry"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyCheck.parse("(role:a or role:b"))
                .getMessage().contains("not closed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyCheck.parse("role:a or"))
                .getMessage().contains("ends where a check was expected"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PolicyCheck.parse("role:a role:b"))
                .getMessage().contains("unexpected 'role:b'"));
        assertThrows(IllegalArgumentException.class, () -> PolicyCheck.parse("role:"));
    }

    @Test
    void aPolicyFileOverridesTheRulesItNames(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.json"),
                "{\"share_backup:create\": \"role:admin\", \"share_backup:get_all\": \"@\"}");
        Policies p = Policies.fromFile(file);
        assertFalse(p.allows(Policy.BACKUP_CREATE, MEMBER));
        assertTrue(p.allows(Policy.BACKUP_CREATE, ADMIN));
        assertTrue(p.allows(Policy.BACKUP_GET_ALL, NOBODY));
        assertEquals("role:admin or role:member", p.check(Policy.BACKUP_DELETE));
    }

    @Test
    void policyFileMistakesNameTheFileAndTheRule(@TempDir Path dir) throws Exception {
        Path unknown = Files.writeString(dir.resolve("unknown.json"), "{\"share_backup:frobnicate\": \"@\"}");
        String e1 = assertThrows(IllegalArgumentException.class, () -> Policies.fromFile(unknown)).getMessage();
        assertTrue(e1.startsWith("FERRY_POLICY_FILE " + unknown + ": rule 'share_backup:frobnicate' is not one"), e1);

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"share_backup:create\": \"rule:admin_or_member\"}");
        String e2 = assertThrows(IllegalArgumentException.class, () -> Policies.fromFile(bad)).getMessage();
        assertTrue(e2.contains("rule 'share_backup:create': 'rule:admin_or_member' refers to another rule"), e2);

        Path notString = Files.writeString(dir.resolve("list.json"), "{\"share_backup:create\": [\"role:admin\"]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Policies.fromFile(notString)).getMessage()
                .contains("rule 'share_backup:create' is not a string"));

        Path yaml = Files.writeString(dir.resolve("policy.yaml"), "\"share_backup:create\": \"role:admin\"\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Policies.fromFile(yaml)).getMessage()
                .startsWith("FERRY_POLICY_FILE " + yaml));

        Path missing = dir.resolve("missing.json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Policies.fromFile(missing)).getMessage()
                .startsWith("FERRY_POLICY_FILE " + missing + " cannot be read"));
        assertThrows(IllegalArgumentException.class, () -> Policies.withOverrides(Map.of("share:create", "(")));
    }
}
