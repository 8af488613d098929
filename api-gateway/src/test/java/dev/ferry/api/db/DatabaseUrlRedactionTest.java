package dev.ferry.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.ApiConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A database password never reaches a log line or an error message: URLs and messages are redacted. */
class DatabaseUrlRedactionTest {

    @Test
    void passwordParametersAreMasked() {
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test?user=ferry&password=***",
                Database.redacted("jdbc:postgresql://127.0.0.1:5432/test?user=ferry&password=s3cret"));
        assertEquals("jdbc:postgresql://db/test?password=***&sslmode=verify-full&sslpassword=***",
                Database.redacted("jdbc:postgresql://db/test?password=a%26b&sslmode=verify-full&sslpassword=k3y"));
        assertEquals("jdbc:h2:file:./var/db;USER=sa;PASSWORD=***;DB_CLOSE_ON_EXIT=FALSE",
                Database.redacted("jdbc:h2:file:./var/db;USER=sa;PASSWORD=hunter2;DB_CLOSE_ON_EXIT=FALSE"));
    }

    @Test
    void userInfoPasswordsAreMasked() {
        assertEquals("postgresql://u:***@host/db", Database.redacted("postgresql://u:pw@host/db"));
        assertEquals("jdbc:postgresql://ferry:***@db1:5432,db2:5432/ferry?targetServerType=primary",
                Database.redacted("jdbc:postgresql://ferry:p%40ss@db1:5432,db2:5432/ferry?targetServerType=primary"));
    }

    @Test
    void multiHostUrlsAreMaskedWhereverThePasswordIs() {
        assertEquals("jdbc:postgresql://db1:5432,db2:5433,[::1]:5434/ferry?targetServerType=primary&password=***"
                        + "&connectTimeout=2",
                Database.redacted("jdbc:postgresql://db1:5432,db2:5433,[::1]:5434/ferry?targetServerType=primary"
                        + "&password=s3cret&connectTimeout=2"));
        assertEquals("jdbc:postgresql://ferry:***@db1,db2/ferry?sslpassword=***&targetServerType=primary",
                Database.redacted("jdbc:postgresql://ferry:pw1@db1,db2/ferry?sslpassword=k3y&targetServerType=primary"));
        DatabaseUrlRedaction redaction = new DatabaseUrlRedaction(
                "jdbc:postgresql://db1:5432,db2:5432/ferry?password=s3cret&targetServerType=primary", null);
        String scrubbed = redaction.scrub("Could not find a server with specified targetServerType: primary "
                + "(jdbc:postgresql://db1:5432,db2:5432/ferry?password=s3cret&targetServerType=primary, s3cret)");
        assertFalse(scrubbed.contains("s3cret"), scrubbed);
        assertEquals("jdbc:postgresql://db1:5432,db2:5432/ferry?password=***&targetServerType=primary",
                redaction.url());
    }

    @Test
    void urlsWithoutAPasswordStayAsTheyAre() {
        for (String url : new String[] {"jdbc:postgresql://127.0.0.1:5432/test?user=ferry",
                "jdbc:postgresql://db1:5432,db2:5432/ferry?targetServerType=primary&user=ferry",
                "jdbc:h2:file:./var/ferry-db;DB_CLOSE_ON_EXIT=FALSE", "jdbc:postgresql://db/x?passwordless=1"}) {
            assertEquals(url, Database.redacted(url));
        }
        assertNull(Database.redacted(null));
    }

    @Test
    void aMessageQuotingTheUrlOrThePasswordIsScrubbed() {
        DatabaseUrlRedaction redaction = new DatabaseUrlRedaction(
                "jdbc:postgresql://127.0.0.1:5432/test?user=ferry&password=s3cret%21", "from-the-env-file");
        String scrubbed = redaction.scrub("cannot connect to jdbc:postgresql://127.0.0.1:5432/test?user=ferry&"
                + "password=s3cret%21 as ferry (password s3cret! rejected; FERRY_DB_PASSWORD from-the-env-file)");
        assertFalse(scrubbed.contains("s3cret"), scrubbed);
        assertFalse(scrubbed.contains("from-the-env-file"), scrubbed);
        assertTrue(scrubbed.startsWith("cannot connect to jdbc:postgresql://127.0.0.1:5432/test?user=ferry&"
                + "password=*** as ferry"), scrubbed);
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test?user=ferry&password=***", redaction.url());
    }

    @Test
    void anUnsupportedUrlIsRefusedWithoutItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(
                Map.of("FERRY_HOST", "h", "FERRY_DB_URL", "jdbc:mysql://db/ferry?user=f&password=n0tth1s")));
        assertFalse(e.getMessage().contains("n0tth1s"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:mysql://db/ferry?user=f&password=***"), e.getMessage());
    }

    @Test
    void aDatabaseThatCannotBeOpenedSaysSoWithoutThePassword() {
        // H2 refuses to open a database that another URL setting contradicts; the message names the URL, masked
        String url = "jdbc:h2:mem:redaction-" + System.nanoTime() + ";PASSWORD=0pen-sesame;IFEXISTS=TRUE";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Database.open(url, "sa", ""));
        assertFalse(e.getMessage().contains("0pen-sesame"), e.getMessage());
        assertTrue(e.getMessage().contains("PASSWORD=***"), e.getMessage());
        // and the honest URL, password and all, still opens
        try (Database db = Database.open("jdbc:h2:mem:redaction-ok-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "0pen-sesame")) {
            assertTrue(db.answers());
        }
    }
}
