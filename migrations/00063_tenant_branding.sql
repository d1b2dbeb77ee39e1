-- What a tenant's guests and hosts see of the tenant: its logo, accent
-- colour and the name it signs with, on the invite page and in the widget;
-- and, per campaign, the invite page's headline. A table of its own rather
-- than columns of tenants: tenants is a reference table on Citus, copied
-- to every node and written by the billing path; this is tenant data like
-- any other, distributed by tenant_id.

-- +goose Up
CREATE TABLE tenant_branding (
  tenant_id    uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  logo_url     text NOT NULL DEFAULT '',
  accent_color text NOT NULL DEFAULT '',
  sender_name  text NOT NULL DEFAULT '',
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  -- A logo is an image on the web, fetched by a guest's browser: an
  -- absolute http(s) URL without spaces or quotes (it goes into the invite
  -- page's Content-Security-Policy as its origin), of a sane length. ''
  -- shows no logo.
  CONSTRAINT branding_logo_url CHECK (logo_url = ''
    OR (logo_url ~ '^https?://[^/\s"''<>\\]+(/[^\s"''<>\\]*)?$' AND length(logo_url) <= 2048)),
  -- The accent is a CSS colour in one form only, #rrggbb in lowercase, so
  -- that it can go into a stylesheet as it is; '' keeps Tandem's.
  CONSTRAINT branding_accent_color CHECK (accent_color = '' OR accent_color ~ '^#[0-9a-f]{6}$'),
  -- The name the tenant signs with ("Demo Coffee's team"): one line, no
  -- outer spaces, at most 80 characters; '' signs with the tenant's name.
  CONSTRAINT branding_sender_name CHECK (length(sender_name) <= 80 AND sender_name = btrim(sender_name)
    AND sender_name !~ '[[:cntrl:]]')
);
SELECT enable_tenant_rls('tenant_branding');
-- The console saves it (owners and admins, models.PermBrandingManage); the
-- invite page and the widget read it inside the tenant's transaction.
GRANT SELECT, INSERT, UPDATE ON tenant_branding TO tandem_app;

-- The invite page's headline of a campaign, with {host} standing for the
-- host's name; '' is the default headline of the campaign's mode
-- (views.InviteHeadline). One line, no outer spaces, at most 120
-- characters, like the other texts a guest reads.
ALTER TABLE campaigns ADD COLUMN invite_headline text NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD CONSTRAINT campaign_invite_headline CHECK (length(invite_headline) <= 120
  AND invite_headline = btrim(invite_headline) AND invite_headline !~ '[[:cntrl:]]');
