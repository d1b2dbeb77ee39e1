-- The texts a tenant writes for its guests and hosts, per locale: the
-- invite page's headline and paragraph, the widget's guest offer and its
-- empty states. A locale without a text falls back to the tenant's default
-- locale, then to Tandem's own copy (models.GuestTexts.Text). And whether
-- the guest is told the host's name at all.

-- +goose Up
-- On a database Citus holds, tenant_branding is altered over every shard,
-- and Citus refuses function commands after DDL it ran over parallel
-- connections (migrations/README.md): one connection per node.
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- The locale a visitor whose language has no text of the tenant's reads
-- instead. Only the locales Tandem's own copy knows (the widget's
-- dictionaries): a text in another one would never be shown.
ALTER TABLE tenant_branding ADD COLUMN default_locale text NOT NULL DEFAULT 'en';
ALTER TABLE tenant_branding ADD CONSTRAINT branding_default_locale CHECK (default_locale IN ('en', 'fr'));
-- Whether the invite page and the widget's guest offer name the host
-- ("Maya invited you"). Off unless the tenant turns it on: a host's name is
-- personal data, and an invite link can travel far beyond the friend it
-- was meant for.
ALTER TABLE tenant_branding ADD COLUMN name_hosts boolean NOT NULL DEFAULT false;

CREATE TABLE tenant_texts (
  tenant_id  uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  locale     text NOT NULL,
  name       text NOT NULL,
  body       text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, locale, name),
  -- The locales Tandem's own copy knows, as default_locale above.
  CONSTRAINT tenant_text_locale CHECK (locale IN ('en', 'fr')),
  -- The texts a tenant may replace; any other name would never be read.
  CONSTRAINT tenant_text_name CHECK (name IN ('invite_headline', 'invite_body', 'widget_offer',
    'widget_no_friends_code', 'widget_no_friends_invitation', 'widget_no_rewards')),
  -- One line without outer spaces, never empty (no text is stored as no
  -- row, so that the fallback is one rule), and short: a headline as long
  -- as a campaign's own (120), the invite page's paragraph 400, the
  -- widget's lines 200.
  CONSTRAINT tenant_text_body CHECK (body <> '' AND body = btrim(body) AND body !~ '[[:cntrl:]]'
    AND length(body) <= CASE name WHEN 'invite_headline' THEN 120 WHEN 'invite_body' THEN 400 ELSE 200 END),
  -- Braces only as the placeholders the text's place fills in: {host} on
  -- the guest's pages, {reward} in the offer too, none in what the host
  -- reads. Any other would be shown to the guest as it was typed.
  CONSTRAINT tenant_text_placeholders CHECK (CASE name
    WHEN 'widget_offer' THEN regexp_replace(body, '\{(host|reward)\}', '', 'g')
    WHEN 'invite_headline' THEN regexp_replace(body, '\{host\}', '', 'g')
    WHEN 'invite_body' THEN regexp_replace(body, '\{host\}', '', 'g')
    ELSE body END !~ '[{}]')
);
SELECT enable_tenant_rls('tenant_texts');
-- The console replaces them (owners and admins, models.PermBrandingManage);
-- the invite page and the widget read them inside the tenant's transaction.
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_texts TO tandem_app;
