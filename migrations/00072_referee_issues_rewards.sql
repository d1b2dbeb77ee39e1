-- +goose Up
-- Rewards are issued by the referee: invitations_issue_rewards runs as
-- tandem_referee (SECURITY DEFINER), so that reward_tokens_issue_guard can
-- tell the tokens the schema's own trigger makes, copied from
-- earned_rewards_of() in that very statement, from any other insert, and
-- recheck only the others (tandem_app keeps its INSERT grant and meets the
-- recheck: reward_not_earned). The referee is NOLOGIN, and no other
-- function it owns inserts tokens.
GRANT INSERT ON reward_tokens TO tandem_referee;
GRANT SELECT ON campaign_version_milestones TO tandem_referee;
