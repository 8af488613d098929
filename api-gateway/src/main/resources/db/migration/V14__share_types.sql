-- Manila's share types: a name, an optional description, public or private, and extra specs (key to string
-- value, as Manila stores them). A private type is visible to admins and to the projects in share_type_projects.
-- A share records its type (NULL: none, as for shares made before types existed or while no default is set);
-- a type that shares still use cannot be deleted.
CREATE TABLE share_types (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    description VARCHAR(255),
    is_public   BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP    NOT NULL,
    updated_at  TIMESTAMP    NOT NULL,
    CONSTRAINT share_types_name UNIQUE (name)
);

CREATE TABLE share_type_extra_specs (
    share_type_id VARCHAR(36)  NOT NULL REFERENCES share_types (id) ON DELETE CASCADE,
    spec_key      VARCHAR(255) NOT NULL,
    spec_value    VARCHAR(255) NOT NULL,
    PRIMARY KEY (share_type_id, spec_key)
);

CREATE TABLE share_type_projects (
    share_type_id VARCHAR(36)  NOT NULL REFERENCES share_types (id) ON DELETE CASCADE,
    project_id    VARCHAR(255) NOT NULL,
    PRIMARY KEY (share_type_id, project_id)
);

ALTER TABLE shares ADD COLUMN share_type_id VARCHAR(36) REFERENCES share_types (id);
CREATE INDEX shares_share_type ON shares (share_type_id);
