-- One row per project that ever created a backup. A backup create locks its project's row (SELECT ... FOR UPDATE)
-- before counting the project's backups against its quota, so concurrent creates in one project take turns and
-- cannot together exceed it; creates in different projects do not wait for each other.
CREATE TABLE project_locks (
    project_id VARCHAR(255) NOT NULL PRIMARY KEY
);
