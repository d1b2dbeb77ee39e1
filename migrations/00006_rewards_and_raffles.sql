-- Reward tokens, their issue on completion, and raffle draws over tickets.

-- +goose Up
CREATE TABLE raffle_draws (
  tenant_id   uuid NOT NULL DEFAULT app_tenant_id(),
  id          text NOT NULL DEFAULT new_id('rfl'),
  campaign_id text NOT NULL,
  winners     integer NOT NULL CHECK (winners BETWEEN 1 AND 10000),
  -- The seed of the deterministic draw: with the entries below, anyone can
  -- draw again and get the same winners.
  seed        text NOT NULL CHECK (seed ~ '^[0-9a-f]{64}$'),
  drawn_by    text NOT NULL,
  drawn_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, id, campaign_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);
CREATE TABLE raffle_entries (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  draw_id        text NOT NULL,
  participant_id text NOT NULL,
  tickets        bigint NOT NULL CHECK (tickets >= 1),
  PRIMARY KEY (tenant_id, draw_id, participant_id),
  FOREIGN KEY (tenant_id, draw_id) REFERENCES raffle_draws (tenant_id, id),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id)
);
CREATE TABLE raffle_winners (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  draw_id        text NOT NULL,
  place          integer NOT NULL CHECK (place >= 1),
  participant_id text NOT NULL,
  PRIMARY KEY (tenant_id, draw_id, place),
  -- A participant wins at most once per draw, and only if they had an entry.
  UNIQUE (tenant_id, draw_id, participant_id),
  FOREIGN KEY (tenant_id, draw_id, participant_id) REFERENCES raffle_entries (tenant_id, draw_id, participant_id)
);
SELECT enable_tenant_rls('raffle_draws');
SELECT enable_tenant_rls('raffle_entries');
SELECT enable_tenant_rls('raffle_winners');
GRANT SELECT, INSERT ON raffle_draws, raffle_entries, raffle_winners TO tandem_app;
CREATE TRIGGER raffle_draws_append_only BEFORE UPDATE OR DELETE ON raffle_draws
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER raffle_entries_append_only BEFORE UPDATE OR DELETE ON raffle_entries
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER raffle_winners_append_only BEFORE UPDATE OR DELETE ON raffle_winners
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- A draw has no more winners than it asked for.
-- +goose StatementBegin
CREATE FUNCTION raffle_winners_within_draw() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.place > (SELECT d.winners FROM raffle_draws d WHERE d.tenant_id = NEW.tenant_id AND d.id = NEW.draw_id) THEN
    RAISE EXCEPTION 'draw % asked for fewer winners', NEW.draw_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'raffle_winners_within_draw';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER raffle_winners_within_draw BEFORE INSERT ON raffle_winners
  FOR EACH ROW EXECUTE FUNCTION raffle_winners_within_draw();

-- An exchange token: the right to exchange for the reward it snapshots.
CREATE TABLE reward_tokens (
  tenant_id      uuid NOT NULL DEFAULT app_tenant_id(),
  id             text NOT NULL DEFAULT new_id('rwd'),
  participant_id text NOT NULL,
  campaign_id    text NOT NULL,
  invitation_id  text NOT NULL,
  reason         text NOT NULL CHECK (reason IN ('guest', 'host_milestone')),
  -- For host rewards: the milestone number n (the host's nth completion).
  milestone      integer CHECK (milestone >= 1),
  description    text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  kind           text NOT NULL CHECK (kind IN ('credit', 'coupon', 'cash', 'ticket', 'custom')),
  quantity       integer NOT NULL CHECK (quantity >= 1),
  -- rule 8: money is integer minor units with an ISO currency code, both or neither.
  amount         bigint CHECK (amount >= 0),
  currency       text CHECK (currency ~ '^[A-Z]{3}$'),
  status         text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'redeemed', 'voided', 'expired')),
  issued_at      timestamptz NOT NULL DEFAULT now(),
  status_changed_at timestamptz,
  raffle_draw_id text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, invitation_id) REFERENCES invitations (tenant_id, id),
  -- A ticket is spent only by a draw of its own campaign.
  CONSTRAINT reward_raffle_same_campaign FOREIGN KEY (tenant_id, raffle_draw_id, campaign_id) REFERENCES raffle_draws (tenant_id, id, campaign_id),
  CONSTRAINT reward_money CHECK ((amount IS NULL) = (currency IS NULL)),
  CONSTRAINT reward_reason_milestone CHECK ((reason = 'guest') = (milestone IS NULL)),
  CONSTRAINT reward_status_time CHECK ((status = 'issued') = (status_changed_at IS NULL)),
  CONSTRAINT reward_raffle_ticket CHECK (raffle_draw_id IS NULL OR (kind = 'ticket' AND status = 'redeemed'))
);
-- rule 6: one guest reward per invitation, one host reward per (campaign, host, milestone).
CREATE UNIQUE INDEX reward_tokens_one_guest_reward ON reward_tokens (tenant_id, invitation_id) WHERE reason = 'guest';
CREATE UNIQUE INDEX reward_tokens_one_host_milestone ON reward_tokens (tenant_id, campaign_id, participant_id, milestone) WHERE reason = 'host_milestone';
CREATE INDEX reward_tokens_by_participant ON reward_tokens (tenant_id, participant_id, issued_at);
CREATE INDEX reward_tokens_queue ON reward_tokens (tenant_id, status, issued_at);
SELECT enable_tenant_rls('reward_tokens');
GRANT SELECT, INSERT, UPDATE (status, status_changed_at, raffle_draw_id) ON reward_tokens TO tandem_app;

-- rule 7: issued -> redeemed | voided | expired, and those are final.
-- rule 9: a token is never deleted and its snapshot never rewritten, whatever
-- happens to the campaign's configuration.
-- +goose StatementBegin
CREATE FUNCTION reward_tokens_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reward % was issued and stays issued', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked';
  END IF;
  IF (NEW.tenant_id, NEW.id, NEW.participant_id, NEW.campaign_id, NEW.invitation_id, NEW.reason, NEW.milestone,
      NEW.description, NEW.kind, NEW.quantity, NEW.amount, NEW.currency, NEW.issued_at)
     IS DISTINCT FROM
     (OLD.tenant_id, OLD.id, OLD.participant_id, OLD.campaign_id, OLD.invitation_id, OLD.reason, OLD.milestone,
      OLD.description, OLD.kind, OLD.quantity, OLD.amount, OLD.currency, OLD.issued_at) THEN
    RAISE EXCEPTION 'reward % keeps the reward it was issued with', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_never_revoked';
  END IF;
  IF OLD.status <> 'issued' AND (NEW.status, NEW.status_changed_at, NEW.raffle_draw_id)
       IS DISTINCT FROM (OLD.status, OLD.status_changed_at, OLD.raffle_draw_id) THEN
    RAISE EXCEPTION 'reward % is % for good', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_status_transition';
  END IF;
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reward_tokens_guard BEFORE UPDATE OR DELETE ON reward_tokens
  FOR EACH ROW EXECUTE FUNCTION reward_tokens_guard();
CREATE TRIGGER reward_tokens_no_truncate BEFORE TRUNCATE ON reward_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- rule 6: what a completed invitation earns: the guest reward of its pinned
-- version, and the host reward of milestone n = its completion number: row n
-- of the version's milestone table, or its last row for every n beyond it
-- when the version repeats it. The one definition, used to issue rewards and
-- to refuse any reward that was not earned.
-- +goose StatementBegin
CREATE FUNCTION earned_rewards(p_invitation_id text)
RETURNS TABLE (participant_id text, campaign_id text, reason text, milestone integer,
               description text, kind text, quantity integer, amount bigint, currency text)
LANGUAGE sql STABLE
AS $$
  SELECT i.guest_id, i.campaign_id, 'guest', NULL::integer,
         v.guest_reward_description, v.guest_reward_kind, v.guest_reward_quantity,
         v.guest_reward_amount, v.guest_reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND v.guest_reward_description IS NOT NULL
  UNION ALL
  SELECT i.host_id, i.campaign_id, 'host_milestone', i.completion_number,
         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency
  FROM invitations i
  JOIN campaign_versions v ON v.tenant_id = i.tenant_id AND v.campaign_id = i.campaign_id AND v.version = i.version
  JOIN campaign_version_milestones m ON m.tenant_id = i.tenant_id AND m.campaign_id = i.campaign_id AND m.version = i.version
  WHERE i.tenant_id = app_tenant_id() AND i.id = p_invitation_id AND i.completed_at IS NOT NULL
    AND (m.nth = i.completion_number
         OR (v.repeat_last_milestone AND i.completion_number > m.nth
             AND m.nth = (SELECT max(l.nth) FROM campaign_version_milestones l
                          WHERE l.tenant_id = m.tenant_id AND l.campaign_id = m.campaign_id AND l.version = m.version)))
$$;
-- +goose StatementEnd

-- Completing an invitation issues what it earned. The unique indexes above
-- make a second issue fail.
-- +goose StatementBegin
CREATE FUNCTION invitations_issue_rewards() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO reward_tokens (tenant_id, participant_id, campaign_id, invitation_id, reason, milestone,
                             description, kind, quantity, amount, currency)
  SELECT NEW.tenant_id, e.participant_id, e.campaign_id, NEW.id, e.reason, e.milestone,
         e.description, e.kind, e.quantity, e.amount, e.currency
  FROM earned_rewards(NEW.id) e;
  RETURN NULL;
END
$$;
-- +goose StatementEnd

-- No reward exists that a completion did not earn: a new token must be one
-- of earned_rewards() of its invitation, to the letter, and starts issued.
-- +goose StatementBegin
CREATE FUNCTION reward_tokens_issue_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM earned_rewards(NEW.invitation_id) e
    WHERE (e.participant_id, e.campaign_id, e.reason, e.milestone, e.description, e.kind, e.quantity, e.amount, e.currency)
          IS NOT DISTINCT FROM
          (NEW.participant_id, NEW.campaign_id, NEW.reason, NEW.milestone, NEW.description, NEW.kind, NEW.quantity, NEW.amount, NEW.currency)) THEN
    RAISE EXCEPTION 'invitation % did not earn this reward', NEW.invitation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'reward_not_earned';
  END IF;
  NEW.status := 'issued';
  NEW.status_changed_at := NULL;
  NEW.raffle_draw_id := NULL;
  NEW.issued_at := now();
  RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER reward_tokens_issue_guard BEFORE INSERT ON reward_tokens
  FOR EACH ROW EXECUTE FUNCTION reward_tokens_issue_guard();
CREATE TRIGGER invitations_issue_rewards AFTER UPDATE OF completed_at ON invitations
  FOR EACH ROW WHEN (OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL)
  EXECUTE FUNCTION invitations_issue_rewards();

-- +goose Down
DROP TRIGGER invitations_issue_rewards ON invitations;
DROP FUNCTION invitations_issue_rewards();
DROP TRIGGER reward_tokens_issue_guard ON reward_tokens;
DROP FUNCTION reward_tokens_issue_guard();
DROP FUNCTION earned_rewards(text);
DROP TABLE reward_tokens;
DROP FUNCTION reward_tokens_guard();
DROP TABLE raffle_winners;
DROP FUNCTION raffle_winners_within_draw();
DROP TABLE raffle_entries;
DROP TABLE raffle_draws;
