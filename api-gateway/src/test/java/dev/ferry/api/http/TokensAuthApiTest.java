package dev.ferry.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import dev.ferry.api.http.ApiClient.Response;
import dev.ferry.api.model.Backup;
import dev.ferry.api.model.BackupStatus;
import dev.ferry.api.model.ShareStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** FERRY_AUTH=tokens over HTTP: hashed static tokens, and edits to the file taking effect while running. */
class TokensAuthApiTest extends InProcessGateway {
    private static final String ALICE = "alice-secret-token-1";
    private static final String BOB = "bob-secret-token-2";
    private static final String CAROL = "carol-secret-token-3";
    private Path dir;
    private Path tokens;

    @Override
    protected ApiConfig config(ApiConfig noauth) throws Exception {
        dir = Files.createTempDirectory("ferry-tokens-");
        tokens = dir.resolve("tokens");
        write("# operators' tokens\n" + line(ALICE, "alice", "tp1", "member,reader") + "\n"
                + line(BOB, "bob", "tp2", "member,reader") + "\n");
        return noauth.withAuth(ApiConfig.TOKENS, null, tokens, null);
    }

    @AfterAll
    void deleteFile() throws Exception {
        Files.deleteIfExists(tokens);
        Files.deleteIfExists(dir);
    }

    static String line(String token, String user, String project, String roles) {
        return TokensAuthenticator.sha256(token.getBytes(StandardCharsets.UTF_8)) + " " + user + " " + project + " "
                + roles;
    }

    private void write(String content) throws Exception {
        Path next = dir.resolve("tokens.next");
        Files.writeString(next, content);
        Files.move(next, tokens, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Response list(String token) {
        return api.backups("GET", "/v2/share-backups").token(token).send();
    }

    @Test
    void aValidTokenActsAsItsUserAndProject() {
        Backup mine = f.backup(f.share("tp1", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);
        f.backup(f.share("tp2", 1, ShareStatus.AVAILABLE), 1, BackupStatus.AVAILABLE);

        Response r = list(ALICE);

        assertEquals(200, r.status(), r.toString());
        assertEquals(1, r.json().path("share_backups").size(), r.toString());
        assertEquals(mine.id(), r.json().path("share_backups").get(0).path("id").asText());
    }

    @Test
    void anUnknownOrMissingTokenIs401AndTheTokenIsNotRepeated() {
        Response unknown = list("alice:tp1");
        assertEquals(401, unknown.status(), unknown.toString());
        assertEquals("The token in X-Auth-Token is not known (FERRY_AUTH=tokens): check it, or ask an operator to "
                + "add its SHA-256 to FERRY_TOKENS_FILE.", unknown.message());
        assertFalse(unknown.text().contains("alice:tp1"), unknown.toString());

        Response missing = list(null);
        assertEquals(401, missing.status(), missing.toString());
        assertTrue(missing.message().contains("send the header X-Auth-Token"), missing.message());
    }

    @Test
    void addingAndRemovingTokensTakesEffectWithoutARestart() throws Exception {
        assertEquals(401, list(CAROL).status());
        write(line(ALICE, "alice", "tp1", "member,reader") + "\n" + line(CAROL, "carol", "tp3", "reader") + "\n");

        Awaitility.await("carol's new token is accepted").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> list(CAROL).status() == 200);
        Awaitility.await("bob's removed token is refused").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> list(BOB).status() == 401);
        assertEquals(200, list(ALICE).status());

        write(line(ALICE, "alice", "tp1", "member,reader") + "\nthis line is not a token\n"
                + line(BOB, "bob", "tp2", "member,reader") + "\n");
        Awaitility.await("a malformed file keeps the last good tokens").during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> list(CAROL).status() == 200 && list(BOB).status() == 401);

        write(line(ALICE, "alice", "tp1", "member,reader") + "\n" + line(BOB, "bob", "tp2", "member,reader") + "\n");
        Awaitility.await("the corrected file is loaded").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> list(BOB).status() == 200);
        assertEquals(401, list(CAROL).status());
    }
}
