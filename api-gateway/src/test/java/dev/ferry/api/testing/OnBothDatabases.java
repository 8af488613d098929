package dev.ferry.api.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the tests that run on H2 and on PostgreSQL ({@link Engine}): one {@link TestDatabases} per
 * class, closed (and its PostgreSQL databases dropped) after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OnBothDatabases {
    protected TestDatabases dbs;

    @BeforeAll
    void openDatabases() {
        dbs = new TestDatabases();
    }

    @AfterAll
    void closeDatabases() {
        dbs.close();
    }
}
