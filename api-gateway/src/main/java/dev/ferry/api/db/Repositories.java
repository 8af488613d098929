package dev.ferry.api.db;

import java.time.Clock;

/** The repositories over one database, built once and handed to the services that need them. */
public record Repositories(Database database, ShareRepository shares, BackupRepository backups, JobRepository jobs,
                           JobAttemptRepository attempts, OutboxRepository outbox, UserMessageRepository messages,
                           Clock clock) {

    public static Repositories over(Database database, Clock clock) {
        return new Repositories(database, new ShareRepository(clock), new BackupRepository(clock),
                new JobRepository(clock), new JobAttemptRepository(clock), new OutboxRepository(clock),
                new UserMessageRepository(), clock);
    }
}
