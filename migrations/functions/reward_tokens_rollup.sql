-- A statement issued or held reward tokens, or changed their status: what it
-- did to the campaigns' reward counters is the sum over its new rows less
-- the sum over its old ones (an insert has no old rows), per campaign, kind
-- and currency, left in rollup_deltas for the commit (rollup_deltas_apply).
-- What a token counts, with its quantity and amount, by where it stands:
--   held                      held
--   issued                    issued
--   redeemed, expired         issued, and redeemed or expired
--   voided after its issue    issued, and voided
--   rejected (voided held,    nothing
--     with a review_reason)
-- reward_tokens_guard moves a token only along those lines and never
-- rewrites its kind, quantity, amount, currency or review, so a token
-- counts under the same key before and after, and an update cancels out
-- except where it moved a status. Read into arrays first, as
-- invitations_rollup does, for Citus.
CREATE OR REPLACE FUNCTION reward_tokens_rollup() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  current_tenant uuid;
  tenant_ids uuid[];
  campaign_ids text[];
  kinds text[];
  currencies text[];
  signs integer[];
  statuses text[];
  rejections boolean[];
  quantities integer[];
  amounts bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.tenant_id), array_agg(n.campaign_id), array_agg(n.kind), array_agg(coalesce(n.currency, '')), array_agg(1),
           array_agg(n.status), array_agg(n.review_reason IS NOT NULL), array_agg(n.quantity), array_agg(coalesce(n.amount, 0))
    INTO tenant_ids, campaign_ids, kinds, currencies, signs, statuses, rejections, quantities, amounts
    FROM new_reward_tokens n;
  ELSE
    SELECT array_agg(r.tenant_id), array_agg(r.campaign_id), array_agg(r.kind), array_agg(coalesce(r.currency, '')), array_agg(r.sign),
           array_agg(r.status), array_agg(r.review_reason IS NOT NULL), array_agg(r.quantity), array_agg(coalesce(r.amount, 0))
    INTO tenant_ids, campaign_ids, kinds, currencies, signs, statuses, rejections, quantities, amounts
    FROM (SELECT n.tenant_id, n.campaign_id, n.kind, n.currency, 1 AS sign, n.status, n.review_reason, n.quantity, n.amount
          FROM new_reward_tokens n
          UNION ALL
          SELECT o.tenant_id, o.campaign_id, o.kind, o.currency, -1, o.status, o.review_reason, o.quantity, o.amount
          FROM old_reward_tokens o) r;
  END IF;

  FOR current_tenant IN SELECT DISTINCT t FROM unnest(tenant_ids) AS t ORDER BY t LOOP
    INSERT INTO rollup_deltas (tenant_id, campaign_id, rollup, kind, currency,
      issued, issued_quantity, issued_amount, redeemed, redeemed_quantity, redeemed_amount,
      voided, voided_amount, expired, expired_amount, held, held_amount)
    SELECT current_tenant, d.campaign_id, 'reward', d.kind, d.currency,
      sum(d.sign * d.issued), sum(d.sign * d.issued * d.quantity), sum(d.sign * d.issued * d.amount),
      sum(d.sign * d.redeemed), sum(d.sign * d.redeemed * d.quantity), sum(d.sign * d.redeemed * d.amount),
      sum(d.sign * d.voided), sum(d.sign * d.voided * d.amount),
      sum(d.sign * d.expired), sum(d.sign * d.expired * d.amount),
      sum(d.sign * d.held), sum(d.sign * d.held * d.amount)
    FROM (SELECT u.campaign_id, u.kind, u.currency, u.sign, u.quantity::numeric AS quantity, u.amount::numeric AS amount,
                 (u.status IN ('issued', 'redeemed', 'expired') OR (u.status = 'voided' AND NOT u.rejected))::integer AS issued,
                 (u.status = 'redeemed')::integer AS redeemed,
                 (u.status = 'voided' AND NOT u.rejected)::integer AS voided,
                 (u.status = 'expired')::integer AS expired,
                 (u.status = 'held')::integer AS held
          FROM unnest(tenant_ids, campaign_ids, kinds, currencies, signs, statuses, rejections, quantities, amounts)
               AS u(tenant_id, campaign_id, kind, currency, sign, status, rejected, quantity, amount)
          WHERE u.tenant_id = current_tenant) d
    GROUP BY d.campaign_id, d.kind, d.currency
    HAVING sum(d.sign * d.issued) <> 0 OR sum(d.sign * d.redeemed) <> 0 OR sum(d.sign * d.voided) <> 0
        OR sum(d.sign * d.expired) <> 0 OR sum(d.sign * d.held) <> 0
    ORDER BY d.campaign_id, d.kind, d.currency;
  END LOOP;
  RETURN NULL;
END
$$;

-- Trigger functions cannot be called directly; no one needs EXECUTE.
ALTER FUNCTION reward_tokens_rollup() OWNER TO tandem_referee;
REVOKE ALL ON FUNCTION reward_tokens_rollup() FROM PUBLIC;
