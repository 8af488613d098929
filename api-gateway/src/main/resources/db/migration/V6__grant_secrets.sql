-- Grant secrets. Every claim (an attempt) gets a random secret that only the claiming node receives; its
-- lease calls and transitions present it, since node names are self-declared. Only hashes are stored:
-- secret_hash, the SHA-256 of the grant's secret, and claim_token_hash, the SHA-256 of the token the node
-- sent with its claim (a node whose grant was lost claims again with it). Attempts from before this
-- migration have neither: their holders' lease calls and transitions are refused, the lease runs out and
-- the reaper casts the job again, to be claimed with a secret.
ALTER TABLE job_attempts ADD COLUMN secret_hash VARCHAR(64);
ALTER TABLE job_attempts ADD COLUMN claim_token_hash VARCHAR(64);
