-- Retention (FERRY_JOB_RETENTION_DAYS): the purger looks for finished jobs by status and by when they ended
-- (updated_at), and for expired user messages by expires_at, in batches, without reading whole tables. Sent
-- outbox rows are found through outbox_unsent (sent_at, id).
CREATE INDEX jobs_ended ON jobs (status, updated_at);
CREATE INDEX user_messages_expiry ON user_messages (expires_at);
