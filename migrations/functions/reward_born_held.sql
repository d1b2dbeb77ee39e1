-- Whether a reward is born held for review: every reward of a version with
-- review 'all', and with review 'risky' those of a referral whose recorded
-- risk is at or above the version's review_threshold ('medium' holds medium
-- and high, 'high' holds high). The one statement of the rule, for the
-- issuing trigger's insert and for reward_tokens_issue_guard.
CREATE OR REPLACE FUNCTION reward_born_held(p_review text, p_threshold text, p_risk text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN coalesce(p_review = 'all' OR (p_review = 'risky' AND (p_risk = 'high' OR (p_risk = 'medium' AND p_threshold = 'medium'))), false);
END
$$;
