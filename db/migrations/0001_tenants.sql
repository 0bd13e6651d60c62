-- The setup guide's tenants table: one row per tenant, its configuration as the guide's JSON.
-- version and updated_at are the store's own: a trigger sets them on every write, so a row changed by
-- hand with the guide's UPDATE statements is versioned and announced like one written by the CLI.

CREATE TABLE tenants (
  tenant_id text PRIMARY KEY CHECK (tenant_id ~ '^[A-Za-z0-9_.-]{1,128}$'),
  configuration jsonb NOT NULL CHECK (jsonb_typeof(configuration) = 'object'),
  enabled boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One sequence for every tenant: a tenant deleted and inserted again never gets a version a process
-- already holds, so a version names exactly one configuration.
CREATE SEQUENCE tenants_version_seq;

CREATE FUNCTION tenants_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := nextval('tenants_version_seq');
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER tenants_versioned BEFORE INSERT OR UPDATE ON tenants
  FOR EACH ROW EXECUTE FUNCTION tenants_versioned();

-- Every role LISTENs on leadstream_tenants; the payload is the tenant id (the row is read again, as
-- NOTIFY payloads are limited to 8000 bytes and a configuration can be larger).
CREATE FUNCTION tenants_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('leadstream_tenants', CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END);
  RETURN NULL;
END
$$;

CREATE TRIGGER tenants_notify AFTER INSERT OR UPDATE OR DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION tenants_notify();
