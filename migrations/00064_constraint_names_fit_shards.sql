-- +goose Up
-- A constraint's name fits its shards' copies: Citus names a shard's copy
-- after the constraint with the shard's number appended (_102008), and
-- shortens a name that would pass 63 bytes to a clipped prefix and a hash,
-- which models.ConstraintName cannot map to its rule. Every name of a tenant
-- table stays within 55 bytes (TestSchemaCatalogNamesFitShards); these three
-- foreign keys did not. Citus renames no constraint of a distributed table,
-- so each is dropped and added again under its new name, the same key.
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

ALTER TABLE campaign_version_steps DROP CONSTRAINT campaign_version_steps_tenant_id_campaign_id_version_fkey;
ALTER TABLE campaign_version_steps ADD CONSTRAINT campaign_version_steps_version_fkey
  FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES campaign_versions (tenant_id, campaign_id, version) ON DELETE CASCADE;

ALTER TABLE campaign_version_milestones DROP CONSTRAINT campaign_version_milestones_tenant_id_campaign_id_version_fkey;
ALTER TABLE campaign_version_milestones ADD CONSTRAINT campaign_version_milestones_version_fkey
  FOREIGN KEY (tenant_id, campaign_id, version) REFERENCES campaign_versions (tenant_id, campaign_id, version) ON DELETE CASCADE;

ALTER TABLE invitations DROP CONSTRAINT invitations_tenant_id_campaign_id_host_id_referrer_code_fkey;
ALTER TABLE invitations ADD CONSTRAINT invitations_referrer_code_fkey
  FOREIGN KEY (tenant_id, campaign_id, host_id, referrer_code) REFERENCES referrer_codes (tenant_id, campaign_id, host_id, code);
