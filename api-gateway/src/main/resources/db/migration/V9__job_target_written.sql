-- A data node announces (begin_writing) before it writes into a job's target, so that a cancel or a fence knows
-- whether the target may have been written. Jobs that ran before this column existed may have written.
ALTER TABLE jobs ADD COLUMN target_written BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE jobs SET target_written = TRUE WHERE status = 'running' OR epoch > 0;
