-- What each attempt of a copying job did, from its data node's success or failure transition: files and content
-- bytes copied, files (and their bytes) left alone because the target already held them identical, repository
-- files not written because they were damaged or missing, and extended attributes or ACLs the target refused.
-- NULL while the attempt runs, and for attempts that ended without a report (lease expired, released, older ones).
ALTER TABLE job_attempts ADD COLUMN files_copied BIGINT;
ALTER TABLE job_attempts ADD COLUMN files_skipped BIGINT;
ALTER TABLE job_attempts ADD COLUMN bytes_copied BIGINT;
ALTER TABLE job_attempts ADD COLUMN bytes_skipped BIGINT;
ALTER TABLE job_attempts ADD COLUMN files_damaged BIGINT;
ALTER TABLE job_attempts ADD COLUMN metadata_dropped BIGINT;
