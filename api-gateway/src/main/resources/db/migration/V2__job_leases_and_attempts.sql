-- Leases and attempts. A claim gives its node the job until lease_expires_at; the node renews it while it
-- works. A running job whose lease expired goes back to queued with a new epoch and is cast again, so the
-- job table, not the broker, decides what still needs doing. Running jobs claimed before this migration
-- have no lease (NULL): they were granted without one and are never reaped.

ALTER TABLE jobs ADD COLUMN lease_expires_at TIMESTAMP;
CREATE INDEX jobs_lease ON jobs (status, lease_expires_at);
CREATE INDEX jobs_created ON jobs (created_at, id);

-- One row per claim: which node held the job at which epoch, and how that hold ended
-- (running, succeeded, failed, lease expired, released: <reason>).
CREATE TABLE job_attempts (
    job_id     VARCHAR(36)   NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch      BIGINT        NOT NULL,
    node       VARCHAR(255),
    started_at TIMESTAMP     NOT NULL,
    ended_at   TIMESTAMP,
    outcome    VARCHAR(4096) NOT NULL,
    PRIMARY KEY (job_id, epoch)
);
