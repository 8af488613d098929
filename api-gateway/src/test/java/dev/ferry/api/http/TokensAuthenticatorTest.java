package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.service.ApiError;
import dev.ferry.messages.RequestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokens file: its format, its mistakes, and reloading (checked on every request here). */
class TokensAuthenticatorTest {
    @TempDir
    Path dir;

    private static String line(String token, String user, String project, String roles) {
        return TokensAuthApiTest.line(token, user, project, roles);
    }

    private static RequestContext as(TokensAuthenticator tokens, String token) {
        return tokens.authenticate(Map.of("X-Auth-Token", token)::get, "127.0.0.1", "req-1");
    }

    private static int status(TokensAuthenticator tokens, String token) {
        try {
            as(tokens, token);
            return 200;
        } catch (ApiError e) {
            return e.status();
        }
    }

    private Path file(String content) throws Exception {
        return Files.writeString(dir.resolve("tokens"), content);
    }

    private String loadFails(String content) throws Exception {
        Path file = file(content);
        return assertThrows(IllegalArgumentException.class, () -> TokensAuthenticator.load(file, Duration.ZERO))
                .getMessage();
    }

    @Test
    void aTokenIsKnownByItsHashWithItsUserProjectAndRoles() throws Exception {
        TokensAuthenticator tokens = TokensAuthenticator.load(file("# comment\n\n"
                + line("s3cret", "svc", "proj", "admin,member") + "\n  # indented comment\n"
                + line("r3ader", "ro", "proj", "reader") + "\r\n"), Duration.ZERO);
        RequestContext svc = as(tokens, "s3cret");
        assertEquals("svc", svc.userId());
        assertEquals("proj", svc.projectId());
        assertEquals(List.of("admin", "member"), svc.roles());
        assertTrue(svc.isAdmin());
        assertFalse(as(tokens, "r3ader").isAdmin());

        ApiError unknown = assertThrows(ApiError.class, () -> as(tokens, "s3cret-not"));
        assertEquals(401, unknown.status());
        assertFalse(unknown.getMessage().contains("s3cret"));
        ApiError missing = assertThrows(ApiError.class,
                () -> tokens.authenticate(Map.<String, String>of()::get, "127.0.0.1", "r"));
        assertEquals(401, missing.status());
    }

    @Test
    void theHashIsSha256OfTheTokenAsSha256sumPrintsIt() {
        // printf %s secret | sha256sum
        assertEquals("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
                TokensAuthenticator.sha256("secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void mistakesNameTheSettingAndTheLineButNotTheContent() throws Exception {
        String threeFields = loadFails("# ok\nsupersecret alice p1\n");
        assertTrue(threeFields.startsWith("FERRY_TOKENS_FILE " + dir.resolve("tokens") + " line 2 has 3 fields"),
                threeFields);
        assertFalse(threeFields.contains("supersecret"));
        String rawToken = loadFails("supersecret alice p1 member\n");
        assertTrue(rawToken.contains("line 1: the first field is not a SHA-256"), rawToken);
        assertTrue(rawToken.contains("printf %s \"$TOKEN\" | sha256sum"), rawToken);
        assertFalse(rawToken.contains("supersecret"));
        assertTrue(loadFails(line("t", "a", "p", ",") + "\n").contains("line 1 lists no roles"));
        assertTrue(loadFails(line("t", "a", "p", "member") + "\n" + line("t", "b", "p", "member"))
                .contains("line 2 repeats a hash"));
        Path missing = dir.resolve("missing");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TokensAuthenticator.load(missing,
                Duration.ZERO)).getMessage().startsWith("FERRY_TOKENS_FILE " + missing + " cannot be read"));
    }

    @Test
    void editsTakeEffectAndABadEditKeepsTheLastGoodTokens() throws Exception {
        Path file = file(line("one", "a", "p", "member") + "\n");
        TokensAuthenticator tokens = TokensAuthenticator.load(file, Duration.ZERO);
        assertEquals(200, status(tokens, "one"));
        assertEquals(401, status(tokens, "two"));

        Files.writeString(file, line("two", "b", "p", "member") + "\n");
        assertEquals(200, status(tokens, "two"));
        assertEquals(401, status(tokens, "one"));

        Files.writeString(file, line("three", "c", "p", "member") + "\nnot a token line\n");
        assertEquals(200, status(tokens, "two"), "a malformed file keeps the last good set");
        assertEquals(401, status(tokens, "three"));

        Files.delete(file);
        assertEquals(200, status(tokens, "two"), "a missing file keeps the last good set");

        Files.writeString(file, line("three", "c", "p", "member") + "\n");
        assertEquals(200, status(tokens, "three"));
        assertEquals(401, status(tokens, "two"));
    }
}
