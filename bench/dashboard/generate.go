package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// The bulk load. Engine paths (claims, events, completions) would take
// hours for a million invitations, so the data is written set-based, as
// the superuser, in one transaction with session_replication_role =
// replica: no trigger of ours fires, nor the foreign keys' (which are
// triggers too). Everything those triggers would have written is therefore
// written here, set-based, from the same draws:
//
//   - invitations_before_insert / _before_update: codes in invite_codes,
//     expiry from the version's 720 h TTL, claimed_at and version 1 for
//     claimed ones, progress, completed_at, and completion_number = the
//     host's nth completion in completion order (host_completions counts
//     them);
//   - invitations_after_claim: one invitation_claimed event per claim;
//   - ingest_events / evaluate_invitation: progress is the longest prefix
//     of the quest the guest has events for, so each claimed guest gets
//     events for steps 1..progress, and some guests at step 1 an early
//     event for step 3 (which must not count, and does not);
//   - invitations_issue_rewards / earned_rewards: the guest reward and the
//     host reward of milestone min(n, 3) (the last row repeats) for every
//     completion, with the campaign's own reward rows;
//   - the dashboard rollups (00011): the per-shard funnel, the per-day
//     counts and the per-currency reward totals, as the rollup triggers
//     would have summed them (the shard is a hash of the invitation id
//     here: any spread over the 16 shards sums the same).
//
// Nothing checks these sums against the base tables on this data any more
// (models' dashboard_test.go checks the rollup triggers on small data): a
// mistake here shows as implausible figures in the funnel line.

// loadStep is one timed statement of the load.
type loadStep struct {
	name string
	took time.Duration
}

// codeAlphabet is the invite code alphabet (new_code(): no 0/O/1/I).
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// generate writes the campaign's data into the tenant of f.
func generate(ctx context.Context, owner *sql.DB, f fixture, cfg config) (steps []loadStep, err error) {
	conn, err := owner.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	step := func(name, query string, args ...any) error {
		start := time.Now()
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("load: %s: %w", name, err)
		}
		steps = append(steps, loadStep{name, time.Since(start)})
		return nil
	}
	tenant, campaign := f.tenantID.String(), f.campaignID
	// Codes are base-32 numbers from a random offset, so that a second run
	// on the same database draws other codes.
	var b [8]byte
	rand.Read(b[:])
	codeOffset := int64(binary.BigEndian.Uint64(b[:]) % (1 << 38))
	run := randomHex(4)

	for _, s := range []string{
		`SET LOCAL session_replication_role = replica`,
		`SET LOCAL work_mem = '256MB'`,
		`SET LOCAL maintenance_work_mem = '512MB'`,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("load: %s: %w", s, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `SELECT set_config('app.tenant_id', $1, true)`, tenant); err != nil {
		return nil, err
	}

	// The plan: one row per invitation with every draw made once.
	//   hosts: 1 + floor(hosts × u²), so low numbers invite a lot;
	//   created: uniformly over the last -days days;
	//   80% claimed within 36 h; of those 30% complete (progress 3), 20%
	//   stop at 2, 20% at 1, 30% at 0; completions within 72 h of the claim.
	err = step("plan (draws per invitation)", `
		CREATE TEMP TABLE plan ON COMMIT DROP AS
		WITH draws AS (
		  SELECT i, 1 + floor($2::integer * random() ^ 2)::integer AS h,
		         now() - random() * make_interval(days => $3::integer) AS created_at,
		         random() AS r_claim, random() AS r_delay, random() AS r_progress, random() AS r_done, random() AS r_early
		  FROM generate_series(1, $1::integer) AS i
		), shaped AS (
		  SELECT i, h, created_at,
		         CASE WHEN r_claim < 0.8 THEN least(created_at + r_delay * interval '36 hours', now()) END AS claimed_at,
		         CASE WHEN r_claim >= 0.8 THEN 0 WHEN r_progress < 0.3 THEN 3 WHEN r_progress < 0.5 THEN 2
		              WHEN r_progress < 0.7 THEN 1 ELSE 0 END AS progress,
		         r_done, r_early
		  FROM draws
		), named AS (
		  SELECT i, h, 'inv_' || md5($4 || '/inv/' || i) AS id, 'par_' || md5($4 || '/host/' || h) AS host_id,
		         CASE WHEN claimed_at IS NOT NULL THEN 'par_' || md5($4 || '/guest/' || i) END AS guest_id,
		         (SELECT string_agg(substr($6, ((($5::bigint + i) >> (5 * k)) & 31)::integer + 1, 1), '' ORDER BY k DESC)
		          FROM generate_series(0, 7) AS k) AS code,
		         created_at, claimed_at, progress,
		         CASE WHEN progress = 3 THEN least(claimed_at + r_done * interval '72 hours', now()) END AS completed_at,
		         progress = 1 AND r_early < 0.3 AS early
		  FROM shaped
		)
		SELECT n.*,
		       CASE WHEN completed_at IS NOT NULL
		            THEN row_number() OVER (PARTITION BY h, completed_at IS NOT NULL ORDER BY completed_at, id) END AS completion_number,
		       CASE WHEN guest_id IS NOT NULL
		            THEN row_number() OVER (PARTITION BY guest_id IS NOT NULL ORDER BY i) END AS claimed_rank
		FROM named n`,
		cfg.invitations, cfg.hosts, cfg.days, run, codeOffset, codeAlphabet)
	if err != nil {
		return nil, err
	}

	err = step("participants (hosts, claimed guests)", `
		INSERT INTO participants (tenant_id, id, external_id, display_name, created_at, updated_at)
		SELECT $1::uuid, 'par_' || md5($2 || '/host/' || h), 'host-' || h, 'Host ' || h, now() - interval '1 year', now() - interval '1 year'
		FROM generate_series(1, $3::integer) AS h
		UNION ALL
		SELECT $1::uuid, guest_id, 'guest-' || i, '', claimed_at, claimed_at FROM plan WHERE guest_id IS NOT NULL`,
		tenant, run, cfg.hosts)
	if err != nil {
		return nil, err
	}
	if err := step("invite_codes", `
		INSERT INTO invite_codes (code, tenant_id, kind) SELECT code, $1::uuid, 'invitation' FROM plan ORDER BY code`, tenant); err != nil {
		return nil, err
	}
	err = step("invitations", `
		INSERT INTO invitations (tenant_id, id, campaign_id, kind, host_id, code, created_at, expires_at,
		                         guest_id, claimed_at, version, progress, completed_at, completion_number)
		SELECT $1::uuid, id, $2, 'invitation', host_id, code, created_at, created_at + interval '720 hours',
		       guest_id, claimed_at, CASE WHEN guest_id IS NOT NULL THEN 1 END, progress, completed_at, completion_number
		FROM plan ORDER BY id`, tenant, campaign)
	if err != nil {
		return nil, err
	}

	// Events: the claims' own, the quest steps, the early ones, and noise
	// (page views, repeated first steps) spread over the claimed guests to
	// make up exactly -events.
	var claimed, stepEvents, early int64
	err = tx.QueryRowContext(ctx, `SELECT count(guest_id), coalesce(sum(progress), 0), count(*) FILTER (WHERE early) FROM plan`).
		Scan(&claimed, &stepEvents, &early)
	if err != nil {
		return nil, err
	}
	noise := int64(cfg.events) - claimed - stepEvents - early
	if noise < 0 || claimed == 0 {
		return nil, fmt.Errorf("load: -events %d is fewer than the %d the quests need", cfg.events, claimed+stepEvents+early)
	}
	err = step("events", `
		INSERT INTO events (tenant_id, id, participant_id, name, occurred_at, received_at, properties)
		SELECT $1::uuid, 'evt_' || lpad(to_hex(row_number() OVER (ORDER BY e.participant_id, e.occurred_at)), 32, '0'),
		       e.participant_id, e.name, e.occurred_at, e.occurred_at, e.properties
		FROM (
		  SELECT guest_id AS participant_id, 'invitation_claimed' AS name, claimed_at AS occurred_at,
		         jsonb_build_object('invitation', id) AS properties
		  FROM plan WHERE guest_id IS NOT NULL
		  UNION ALL
		  SELECT p.guest_id, s.name, least(p.claimed_at + s.k * interval '1 hour', now()), '{}'::jsonb
		  FROM plan p JOIN unnest($2::text[]) WITH ORDINALITY AS s(name, k) ON s.k <= p.progress
		  UNION ALL
		  SELECT guest_id, ($2::text[])[3], least(claimed_at + interval '2 hours', now()), '{}'::jsonb FROM plan WHERE early
		  UNION ALL
		  SELECT p.guest_id, CASE WHEN p.progress > 0 AND random() < 0.2 THEN ($2::text[])[1] ELSE $3 END,
		         least(p.claimed_at + random() * interval '10 days', now()), '{}'::jsonb
		  FROM plan p, generate_series(1, $4::integer + CASE WHEN p.claimed_rank <= $5::bigint THEN 1 ELSE 0 END)
		  WHERE p.guest_id IS NOT NULL
		) e
		ORDER BY e.participant_id, e.occurred_at`,
		tenant, "{"+strings.Join(questSteps, ",")+"}", noiseEvent, noise/claimed, noise%claimed)
	if err != nil {
		return nil, err
	}

	// What every completion earned (earned_rewards): the version's guest
	// reward, and milestone min(n, 3) for the host. 40% redeemed, 5% voided.
	err = step("reward_tokens", `
		INSERT INTO reward_tokens (tenant_id, id, participant_id, campaign_id, invitation_id, reason, milestone,
		                           description, kind, quantity, amount, currency, status, issued_at, status_changed_at)
		SELECT $1::uuid, 'rwd_' || md5($3 || '/' || r.reason || '/' || r.invitation_id), r.participant_id, $2, r.invitation_id,
		       r.reason, r.milestone, r.description, r.kind, r.quantity, r.amount, r.currency,
		       CASE WHEN r.x < 0.40 THEN 'redeemed' WHEN r.x < 0.45 THEN 'voided' ELSE 'issued' END,
		       r.issued_at, CASE WHEN r.x < 0.45 THEN least(r.issued_at + interval '1 day', now()) END
		FROM (
		  SELECT p.id AS invitation_id, p.guest_id AS participant_id, 'guest' AS reason, NULL::integer AS milestone,
		         v.guest_reward_description AS description, v.guest_reward_kind AS kind, v.guest_reward_quantity AS quantity,
		         v.guest_reward_amount AS amount, v.guest_reward_currency AS currency, p.completed_at AS issued_at, random() AS x
		  FROM plan p
		  JOIN campaign_versions v ON v.tenant_id = $1::uuid AND v.campaign_id = $2 AND v.version = 1
		  WHERE p.completed_at IS NOT NULL AND v.guest_reward_description IS NOT NULL
		  UNION ALL
		  SELECT p.id, p.host_id, 'host_milestone', p.completion_number::integer,
		         m.reward_description, m.reward_kind, m.reward_quantity, m.reward_amount, m.reward_currency, p.completed_at, random()
		  FROM plan p
		  JOIN campaign_version_milestones m ON m.tenant_id = $1::uuid AND m.campaign_id = $2 AND m.version = 1
		   AND m.nth = least(p.completion_number, (SELECT max(l.nth) FROM campaign_version_milestones l
		                                           WHERE l.tenant_id = $1::uuid AND l.campaign_id = $2 AND l.version = 1))
		  WHERE p.completed_at IS NOT NULL
		) r`, tenant, campaign, run)
	if err != nil {
		return nil, err
	}
	err = step("host_completions", `
		INSERT INTO host_completions (tenant_id, campaign_id, host_id, completed)
		SELECT $1::uuid, $2, host_id, count(*) FROM plan WHERE completed_at IS NOT NULL GROUP BY host_id`, tenant, campaign)
	if err != nil {
		return nil, err
	}

	// The rollups, as invitations_rollup and reward_tokens_rollup sum them.
	err = step("campaign_rollups", `
		INSERT INTO campaign_rollups (tenant_id, campaign_id, shard, created, claimed, completed, reached)
		SELECT $1::uuid, $2, hashtext(id) & 15, count(*), count(claimed_at), count(completed_at),
		       ARRAY[`+reachedCounts()+`]::bigint[]
		FROM plan GROUP BY hashtext(id) & 15`, tenant, campaign)
	if err != nil {
		return nil, err
	}
	err = step("campaign_day_rollups", `
		INSERT INTO campaign_day_rollups (tenant_id, campaign_id, day, shard, created, claimed, completed)
		SELECT $1::uuid, $2, c.day, c.shard, sum(c.created), sum(c.claimed), sum(c.completed)
		FROM (
		  SELECT utc_day(created_at) AS day, hashtext(id) & 15 AS shard, 1 AS created, 0 AS claimed, 0 AS completed FROM plan
		  UNION ALL SELECT utc_day(claimed_at), hashtext(id) & 15, 0, 1, 0 FROM plan WHERE claimed_at IS NOT NULL
		  UNION ALL SELECT utc_day(completed_at), hashtext(id) & 15, 0, 0, 1 FROM plan WHERE completed_at IS NOT NULL
		) c
		GROUP BY c.day, c.shard`, tenant, campaign)
	if err != nil {
		return nil, err
	}
	err = step("campaign_reward_rollups", `
		INSERT INTO campaign_reward_rollups (tenant_id, campaign_id, kind, currency, shard,
		  issued, issued_quantity, issued_amount, redeemed, redeemed_quantity, redeemed_amount,
		  voided, voided_amount, expired, expired_amount)
		SELECT $1::uuid, $2, kind, coalesce(currency, ''), hashtext(invitation_id) & 15,
		       count(*), sum(quantity), coalesce(sum(amount), 0),
		       count(*) FILTER (WHERE status = 'redeemed'), coalesce(sum(quantity) FILTER (WHERE status = 'redeemed'), 0),
		       coalesce(sum(amount) FILTER (WHERE status = 'redeemed'), 0),
		       count(*) FILTER (WHERE status = 'voided'), coalesce(sum(amount) FILTER (WHERE status = 'voided'), 0),
		       count(*) FILTER (WHERE status = 'expired'), coalesce(sum(amount) FILTER (WHERE status = 'expired'), 0)
		FROM reward_tokens WHERE tenant_id = $1::uuid AND campaign_id = $2
		GROUP BY 3, 4, 5`, tenant, campaign)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("load: commit: %w", err)
	}
	steps = append(steps, loadStep{"commit", time.Since(start)})
	start = time.Now()
	if _, err := conn.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		return nil, fmt.Errorf("load: vacuum: %w", err)
	}
	steps = append(steps, loadStep{"VACUUM ANALYZE", time.Since(start)})
	return steps, nil
}

// reachedCounts is the SQL list of counts of invitations that reached
// each step: count(*) FILTER (WHERE progress >= 1), … >= 2, ….
func reachedCounts() string {
	var counts []string
	for k := range questSteps {
		counts = append(counts, fmt.Sprintf("count(*) FILTER (WHERE progress >= %d)", k+1))
	}
	return strings.Join(counts, ", ")
}

// countRows describes the tenant's data.
func countRows(ctx context.Context, owner *sql.DB, f fixture) (string, error) {
	var parts []string
	for _, table := range []string{"invitations", "events", "participants", "reward_tokens", "host_completions",
		"campaign_rollups", "campaign_day_rollups", "campaign_reward_rollups"} {
		var n int64
		// The table names are ours, not input.
		if err := owner.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, f.tenantID).Scan(&n); err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s %d", table, n))
	}
	return strings.Join(parts, ", "), nil
}
