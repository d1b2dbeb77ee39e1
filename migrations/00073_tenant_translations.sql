-- A tenant's translations of the words it wrote once, in one language, for
-- its guests and hosts: a campaign's name, an event's label (the widget's
-- next step), a reward's description (a milestone's or the guest's). A
-- visitor reads the translation in their language, else the one in the
-- tenant's default locale, else the text as written
-- (models.Translations.Translate).
--
-- source is the text as written, not the campaign's slug or the event's
-- name: a renamed campaign or a reworded reward then shows as written
-- until it is translated again, never an old name's translation.

-- +goose Up
CREATE TABLE tenant_translations (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id() REFERENCES tenants (id),
  locale      text NOT NULL,
  kind        text NOT NULL,
  source      text NOT NULL,
  translation text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, locale, kind, source),
  -- The locales Tandem's own copy knows (tenant_text_locale).
  CONSTRAINT tenant_translation_locale CHECK (locale IN ('en', 'fr')),
  -- The words a tenant writes that a guest or host reads; any other kind
  -- would never be read.
  CONSTRAINT tenant_translation_kind CHECK (kind IN ('campaign_name', 'step_label', 'reward_description')),
  -- A translation fits where its source does: a campaign's name 200
  -- (campaigns.name), a label 80 (event_definition_label_length), a
  -- reward's description 500. The source is held to the same limit, so
  -- that no row translates a text that cannot exist.
  CONSTRAINT tenant_translation_length CHECK (
    length(translation) <= CASE kind WHEN 'campaign_name' THEN 200 WHEN 'step_label' THEN 80 ELSE 500 END
    AND length(source) <= CASE kind WHEN 'campaign_name' THEN 200 WHEN 'step_label' THEN 80 ELSE 500 END),
  -- One line without outer spaces, never empty: no translation is stored
  -- as no row, so that the fallback is one rule.
  CONSTRAINT tenant_translation_one_line CHECK (translation <> '' AND translation = btrim(translation)
    AND translation !~ '[[:cntrl:]]' AND source <> '')
);
SELECT enable_tenant_rls('tenant_translations');
-- The console replaces them (owners and admins, models.PermBrandingManage);
-- the invite page and the widget read them inside the tenant's transaction.
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_translations TO tandem_app;
