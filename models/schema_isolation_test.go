package models_test

// Tenant isolation (docs/design.md §2.3): two tenants with a row in every tenant table;
// each sees only its own rows, no tenant means no rows, and no row of one
// tenant can point at, change or be written into the other.

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"gorm.io/gorm"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/models"
)

// tenantData names some rows of a populated tenant.
type tenantData struct {
	id                      uuid.UUID
	campaign, codesCampaign string // campaign ids
	host, guest             string // participant ids
	claimed, pending        string // invitation ids
	reward                  string // an issued reward token
	draw                    string // a raffle draw
	member, apiKey          string
}

// rawFixture is an INSERT into a tenant table, with $1 the one value that
// from reads first, if any. Two statements, not an INSERT … SELECT: Citus
// runs that, its source not routed to one shard, as a COPY, which it
// refuses under row-level security.
type rawFixture struct{ from, insert string }

// rawFixtures fill the tenant tables that no function of models writes yet;
// each runs as tandem_app in a transaction of the tenant, if its table exists.
var rawFixtures = map[string]rawFixture{
	"api_idempotency": {insert: `INSERT INTO api_idempotency (key, request_hash) VALUES ('isolation', sha256('isolation'::bytea))`},
	"api_rate_limits": {from: `SELECT id FROM api_keys LIMIT 1`,
		insert: `INSERT INTO api_rate_limits (key_id, window_start, requests) VALUES ($1, date_trunc('minute', now()), 1)`},
	"member_invitations": {insert: `INSERT INTO member_invitations (email, role, token_hash, expires_at)
		VALUES ('invitee@example.com', 'viewer', sha256('isolation'::bytea), now() + interval '1 day')`},
	// The deliveries come from the outbox triggers (the endpoint populateTenant adds).
	"webhook_attempts": {from: `SELECT id FROM webhook_deliveries LIMIT 1`,
		insert: `INSERT INTO webhook_attempts (delivery_id, attempt, status_code, duration_ms) VALUES ($1, 1, 200, 5)`},
}

// populateTenant creates a tenant with rows in every tenant table: tenants.Create
// (members, api keys, audit log, built-in event definitions), a manual
// campaign whose milestone reward is a ticket (versions, steps, milestones,
// participants, invite codes, invitations, events, reward tokens, the host
// counter, a raffle draw with entries and winners), a referrer-code
// campaign (referrer codes) republished with "migrate" (a migration), the
// widget's settings and a token, the fraud blocklist and a client's hashes, the retention periods, the branding and texts, and a
// Stripe connection (the guest reward is fulfilled through Stripe).
func populateTenant(t *testing.T, r *rawDB) tenantData {
	t.Helper()
	d := tenantData{id: env.NewTenant(t, "").TenantID}
	env.InTenant(t, d.id, func(ctx context.Context) error {
		_, _, err := models.DefineEvent(ctx, "signup_complete", "")
		must(t, err)
		// An endpoint for every event: what follows fills the outbox.
		_, err = models.CreateWebhookEndpoint(ctx, testBox, models.WebhookEndpointInput{URL: ptr("https://example.com/hook"), Events: []string{"*"}})
		must(t, err)
		credit := int64(500)
		rules := models.Rules{Steps: []string{"signup_complete"}, RepeatLastMilestone: true,
			Milestones: []models.Milestone{{Count: 1, Reward: models.Reward{Description: "raffle ticket", Kind: "ticket", Quantity: 2}}},
			// A Stripe reward: its token gets a fulfilment (and a job).
			GuestReward: &models.Reward{Description: "welcome credit", Kind: models.RewardStripeBalance, Amount: &credit, Currency: "USD"}}
		_, _, err = models.SaveCampaignDraft(ctx, "iso", models.CampaignInput{Name: "iso", Mode: models.ModeInvitation, Rules: rules})
		must(t, err)
		pub, err := models.PublishCampaign(ctx, "iso", models.InflightKeep)
		must(t, err)
		d.campaign = pub.Campaign.ID
		d.claimed = mustClaim(t, ctx, mustInvite(t, ctx, "iso", "host").Code, "guest").ID
		must(t, event(ctx, "guest", "signup_complete"))
		// A risk signal: its code in invitation_signals.
		must(t, models.RecordRisk(ctx, d.claimed, []models.RiskSignal{{Code: models.SignalVelocity, Level: models.RiskMedium, Detail: "iso"}}))
		d.pending = mustInvite(t, ctx, "iso", "host").ID
		_, _, err = models.SaveCampaignDraft(ctx, "iso-codes", models.CampaignInput{Name: "iso codes", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"signup_complete"}}})
		must(t, err)
		pub, err = models.PublishCampaign(ctx, "iso-codes", models.InflightKeep)
		must(t, err)
		d.codesCampaign = pub.Campaign.ID
		code, err := models.ReferrerCode(ctx, "iso-codes", "host")
		must(t, err)
		mustClaim(t, ctx, code, "guest")
		// A second version, published with "migrate": a migration.
		_, _, err = models.SaveCampaignDraft(ctx, "iso-codes", models.CampaignInput{Name: "iso codes", Mode: models.ModeReferrerCode,
			Rules: models.Rules{Steps: []string{"signup_complete", "invitation_claimed"}}})
		must(t, err)
		_, err = models.PublishCampaign(ctx, "iso-codes", models.InflightMigrate)
		must(t, err)
		raffle, err := models.DrawRaffle(ctx, "iso", 1)
		must(t, err)
		d.draw = raffle.ID
		_, err = models.SaveWidgetSettings(ctx, []string{"https://iso.example"})
		must(t, err)
		// The fraud tables: a blocklist, and a client's hashes under the tenant's key.
		_, err = models.SaveBlocklist(ctx, []string{"*@blocked.iso.example"})
		must(t, err)
		_, _, err = models.UpsertParticipant(ctx, models.ParticipantInput{ExternalID: "host", Client: &models.Client{IP: "192.0.2.1", UserAgent: "iso"}})
		must(t, err)
		_, err = models.SaveRetention(ctx, models.Retention{EventPropertiesDays: 90, IdempotencyHours: 24, WebhookDays: 30})
		must(t, err)
		_, err = models.SaveBranding(ctx, models.Branding{LogoURL: "https://iso.example/logo.png", AccentColor: "#123456", SenderName: "Iso"})
		must(t, err)
		_, err = models.SaveGuestTexts(ctx, models.GuestTexts{Texts: map[string]map[string]string{"fr": {models.TextWidgetOffer: "Iso"}}})
		must(t, err)
		_, err = models.SaveTranslations(ctx, models.Translations{Locales: map[string]map[string]map[string]string{
			"fr": {models.TranslateCampaignName: {"Iso": "Iso fr"}}}})
		must(t, err)
		_, err = models.SaveStripeConnection(ctx, testBox, "sk_test_isolation1234", "sk_test_…1234")
		must(t, err)
		keys, err := models.ListAPIKeys(ctx)
		must(t, err)
		for _, k := range keys {
			if k.Kind == models.APIKeySecret {
				hash := sha256.Sum256([]byte(k.ID))
				_, err = models.InsertWidgetToken(ctx, k.ID, "host", "iso", hash[:], time.Hour)
				must(t, err)
			}
		}
		return nil
	})
	// A Stripe event that links nothing and leaves the tenant unmetered, in
	// a transaction of its own as the Stripe webhook's: on Citus its
	// function writes the reference table tenants over tandem_referee's
	// connections, which would wait on this transaction's own.
	env.InTenant(t, d.id, func(ctx context.Context) error {
		_, err := models.ApplyStripeEvent(ctx, models.StripeEvent{ID: "evt_isolation", Type: "checkout.session.completed",
			Created: time.Now(), Status: "none"})
		return err
	})
	ctx := context.Background()
	err := rolledBackOrCommit(ctx, r.app, d.id, func(tx pgx.Tx) error {
		for table, fixture := range rawFixtures {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil || !exists {
				continue
			}
			var args []any
			if fixture.from != "" {
				var value string
				if err := tx.QueryRow(ctx, fixture.from).Scan(&value); err != nil {
					return fmt.Errorf("%s: %w", table, err)
				}
				args = append(args, value)
			}
			if _, err := tx.Exec(ctx, fixture.insert, args...); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
		}
		return nil
	})
	must(t, err)
	// rollup_deltas holds rows only inside a transaction that writes them
	// (its deferred trigger applies and deletes each at the commit): one
	// left with the triggers off stands for those.
	campaign := r.str(d.id, `SELECT id FROM campaigns LIMIT 1`)
	dbtest.WithoutTriggers(t, env.Owner, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO rollup_deltas (tenant_id, campaign_id, rollup) VALUES (?, ?, 'funnel')`, d.id, campaign).Error
	})
	d.host, d.guest = r.participant(d.id, "host"), r.participant(d.id, "guest")
	d.reward = r.str(d.id, `SELECT id FROM reward_tokens WHERE status = 'issued' LIMIT 1`)
	d.member = r.str(d.id, `SELECT id FROM members LIMIT 1`)
	d.apiKey = r.str(d.id, `SELECT id FROM api_keys LIMIT 1`)
	return d
}

// rolledBackOrCommit is rolledBack, committing when fn succeeds.
func rolledBackOrCommit(ctx context.Context, conn *pgx.Conn, tenant uuid.UUID, fn func(pgx.Tx) error) error {
	return rolledBack(ctx, conn, tenant, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// countAs counts a table's rows in a transaction on conn: all it sees, and
// those of another tenant than mine (or, with mine = uuid.Nil, any tenant).
func countAs(ctx context.Context, tx pgx.Tx, table string, mine uuid.UUID) (seen, foreign int64, err error) {
	column := "tenant_id"
	if table == "tenants" {
		column = "id"
	}
	err = tx.QueryRow(ctx, fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE %s IS DISTINCT FROM $1) FROM %s`,
		column, pgx.Identifier{table}.Sanitize()), mine.String()).Scan(&seen, &foreign)
	return seen, foreign, err
}

func TestSchemaIsolation(t *testing.T) {
	r := newRawDB(t)
	a, b := populateTenant(t, r), populateTenant(t, r)
	ctx := context.Background()
	tables := append(tenantTables(t, r.owner), "tenants")

	// What the owner (a superuser, past RLS) counts per tenant.
	ownerCount := map[uuid.UUID]map[string]int64{}
	for _, d := range []tenantData{a, b} {
		ownerCount[d.id] = map[string]int64{}
		for _, table := range tables {
			column := "tenant_id"
			if table == "tenants" {
				column = "id"
			}
			var n int64
			err := r.owner.QueryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s = $1`, pgx.Identifier{table}.Sanitize(), column),
				d.id.String()).Scan(&n)
			must(t, err)
			if n == 0 {
				t.Errorf("the fixture leaves %s empty for tenant %s: extend populate (or rawFixtures)", table, d.id)
			}
			ownerCount[d.id][table] = n
		}
	}

	t.Run("each tenant sees exactly its own rows", func(t *testing.T) {
		for _, d := range []tenantData{a, b} {
			err := rolledBack(ctx, r.app, d.id, func(tx pgx.Tx) error {
				for _, table := range tables {
					seen, foreign, err := countAs(ctx, tx, table, d.id)
					if err != nil {
						return fmt.Errorf("%s: %w", table, err)
					}
					if foreign != 0 || seen != ownerCount[d.id][table] {
						t.Errorf("tenant %s sees %d rows of %s (%d of another tenant); it has %d", d.id, seen, table, foreign, ownerCount[d.id][table])
					}
				}
				return nil
			})
			must(t, err)
		}
	})

	t.Run("no tenant set sees no row and no error", func(t *testing.T) {
		ways := []struct {
			name   string
			conn   *pgx.Conn
			before func() // on the connection, before the transaction
			setup  []string
		}{
			{name: "login as tandem_app", conn: r.app},
			{name: "owner switched to tandem_app", conn: r.owner, setup: []string{`SET LOCAL ROLE tandem_app`}},
			{name: "empty app.tenant_id", conn: r.app, setup: []string{`SET LOCAL app.tenant_id = ''`}},
			// SET LOCAL ends with its transaction: the next
			// transaction on the same connection has no tenant.
			{name: "right after a committed transaction of A", conn: r.app, before: func() {
				must(t, rolledBackOrCommit(ctx, r.app, a.id, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, `UPDATE tenants SET name = name`)
					return err
				}))
			}},
		}
		for _, way := range ways {
			t.Run(way.name, func(t *testing.T) {
				if way.before != nil {
					way.before()
				}
				err := rolledBack(ctx, way.conn, uuid.Nil, func(tx pgx.Tx) error {
					for _, s := range way.setup {
						if _, err := tx.Exec(ctx, s); err != nil {
							return err
						}
					}
					var user string
					if err := tx.QueryRow(ctx, `SELECT current_user`).Scan(&user); err != nil || user != "tandem_app" {
						return fmt.Errorf("current_user %q, %v", user, err)
					}
					for _, table := range tables {
						seen, _, err := countAs(ctx, tx, table, uuid.Nil)
						if err != nil {
							return fmt.Errorf("%s: %w", table, err)
						}
						if seen != 0 {
							t.Errorf("%s: %d rows visible with no tenant", table, seen)
						}
					}
					return nil
				})
				must(t, err)
			})
		}
	})

	t.Run("as B, rows pointing at A's are refused", func(t *testing.T) {
		reward := `INSERT INTO reward_tokens (participant_id, campaign_id, invitation_id, reason, description, kind, quantity)
			VALUES ($1, $2, $3, 'guest', 'stolen', 'credit', 1)`
		r.run(t, b.id, []attack{
			{name: "an invitation in A's campaign",
				stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, code, expires_at)
					VALUES ($1, 'invitation', $2, register_code('invitation'), now() + interval '1 day')`, a.campaign, b.host),
				code: foreignKeyViolation, constraint: "invitation_campaign_mode"},
			{name: "an invitation from A's host",
				stmt: q(`INSERT INTO invitations (campaign_id, kind, host_id, code) VALUES ($1, 'invitation', $2, register_code('invitation'))`, b.campaign, a.host),
				code: foreignKeyViolation, constraint: "invitations_tenant_id_host_id_fkey"},
			{name: "a version of A's campaign",
				stmt: q(`INSERT INTO campaign_versions (campaign_id, version) VALUES ($1, 9)`, a.campaign),
				code: foreignKeyViolation, constraint: "campaign_versions_tenant_id_campaign_id_fkey"},
			{name: "a step of A's version",
				stmt: q(`INSERT INTO campaign_version_steps (campaign_id, version, position, event_name) VALUES ($1, 1, 2, 'invitation_claimed')`, a.campaign),
				code: foreignKeyViolation, constraint: "campaign_version_steps_version_fkey"},
			{name: "a milestone of A's version",
				stmt: q(`INSERT INTO campaign_version_milestones (campaign_id, version, nth, reward_description, reward_kind) VALUES ($1, 1, 2, 'x', 'cash')`, a.campaign),
				code: foreignKeyViolation, constraint: "campaign_version_milestones_version_fkey"},
			{name: "an event for A's participant",
				stmt: q(`INSERT INTO events (participant_id, name) VALUES ($1, 'signup_complete')`, a.guest),
				code: foreignKeyViolation, constraint: "events_tenant_id_participant_id_fkey"},
			// earned_rewards() of another tenant's invitation is empty under RLS.
			{name: "a reward for A's invitation",
				stmt: q(reward, b.guest, b.campaign, a.claimed),
				code: checkViolation, constraint: "reward_not_earned"},
			{name: "a reward for A's participant",
				stmt: q(reward, a.guest, b.campaign, b.pending),
				code: checkViolation, constraint: "reward_not_earned"},
			{name: "a referrer code for A's participant",
				stmt: q(`INSERT INTO referrer_codes (campaign_id, host_id) VALUES ($1, $2)`, b.codesCampaign, a.host),
				code: foreignKeyViolation, constraint: "referrer_codes_tenant_id_host_id_fkey"},
			// Host counters are written by tandem_referee only (inside a
			// completion): its writes meet the same composite keys and RLS.
			{name: "a host counter for A's campaign", owner: true, setup: asReferee,
				stmt: q(`INSERT INTO host_completions (campaign_id, host_id, completed) VALUES ($1, $2, 1)`, a.campaign, b.host),
				code: foreignKeyViolation, constraint: "host_completions_tenant_id_campaign_id_fkey"},
			{name: "a raffle draw of A's campaign",
				stmt: q(`INSERT INTO raffle_draws (campaign_id, winners, seed, drawn_by) VALUES ($1, 1, repeat('a', 64), 'system')`, a.campaign),
				code: foreignKeyViolation, constraint: "raffle_draws_tenant_id_campaign_id_fkey"},
			{name: "an entry in A's raffle draw",
				stmt: q(`INSERT INTO raffle_entries (draw_id, participant_id, tickets) VALUES ($1, $2, 1)`, a.draw, b.guest),
				code: foreignKeyViolation, constraint: "raffle_entries_tenant_id_draw_id_fkey"},
		})
	})

	t.Run("as B, A's rows cannot be changed", func(t *testing.T) {
		r.run(t, b.id, []attack{
			{name: "claim A's pending invitation", stmt: q(`UPDATE invitations SET guest_id = $1 WHERE id = $2`, b.guest, a.pending)},
			{name: "touch A's claimed invitation", stmt: q(`UPDATE invitations SET progress = progress WHERE id = $1`, a.claimed)},
			{name: "pause A's campaign", stmt: q(`UPDATE campaigns SET status = 'paused' WHERE id = $1`, a.campaign)},
			{name: "void A's reward", stmt: q(`UPDATE reward_tokens SET status = 'voided', status_changed_at = now() WHERE id = $1`, a.reward)},
			{name: "bump A's host counter", owner: true, setup: asReferee, stmt: q(`UPDATE host_completions SET completed = completed + 1 WHERE campaign_id = $1`, a.campaign)},
			{name: "demote A's members", stmt: q(`UPDATE members SET role = 'viewer' WHERE tenant_id = $1`, a.id.String())},
			{name: "delete A's member", stmt: q(`DELETE FROM members WHERE id = $1`, a.member)},
			{name: "revoke A's API key", stmt: q(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, a.apiKey)},
			{name: "rename A", stmt: q(`UPDATE tenants SET name = 'pwned' WHERE id = $1`, a.id.String())},
			{name: "delete A's quest steps", stmt: q(`DELETE FROM campaign_version_steps WHERE campaign_id = $1`, a.campaign)},
			// The guest made first: Citus calls no VOLATILE function in an UPDATE.
			{name: "control: B claims its own pending invitation",
				setup: []sqlStmt{q(`INSERT INTO participants (id, external_id) VALUES ('par_isolation_newcomer', 'newcomer')`)},
				stmt:  q(`UPDATE invitations SET guest_id = 'par_isolation_newcomer' WHERE id = $1`, b.pending), rows: 1},
			{name: "control: B renames itself", stmt: q(`UPDATE tenants SET name = 'renamed' WHERE id = $1`, b.id.String()), rows: 1},
		})
		// Still as they were, seen as A.
		var guest *string
		var status string
		r.scan(a.id, q(`SELECT guest_id FROM invitations WHERE id = $1`, a.pending), &guest)
		r.scan(a.id, q(`SELECT status FROM reward_tokens WHERE id = $1`, a.reward), &status)
		if guest != nil || status != "issued" {
			t.Fatalf("A's pending invitation has guest %v, A's reward is %s", guest, status)
		}
	})

	t.Run("as B, writing a row of A fails row-level security", func(t *testing.T) {
		// Tables only the schema's own role writes: attacked as that role.
		asRefereeToo := func(a attack) attack { a.owner, a.setup = true, asReferee; return a }
		rls := "row-level security"
		ins := func(name, sql string, args ...any) attack {
			return attack{name: name, stmt: q(sql, args...), code: insufficientPriv, msg: rls}
		}
		attacks := []attack{
			ins("a new tenant", `INSERT INTO tenants (id, slug, name) VALUES (gen_random_uuid(), 'intruder', 'intruder')`),
			ins("a participant of A", `INSERT INTO participants (tenant_id, external_id) VALUES ($1, 'intruder')`, a.id.String()),
			ins("a campaign of A", `INSERT INTO campaigns (tenant_id, slug, name, mode) VALUES ($1, 'intruder', 'intruder', 'invitation')`, a.id.String()),
			ins("a member of A", `INSERT INTO members (tenant_id, email, password_hash, role)
				VALUES ($1, 'intruder@example.com', '$argon2id$x', 'owner')`, a.id.String()),
			ins("an event of A", `INSERT INTO events (tenant_id, participant_id, name) VALUES ($1, $2, 'signup_complete')`, a.id.String(), a.guest),
			ins("an audit entry of A", `INSERT INTO audit_log (tenant_id, actor, action, subject) VALUES ($1, 'system', 'tenant.pwned', 'x')`, a.id.String()),
			ins("an invite code of A", `INSERT INTO invite_codes (tenant_id, code, kind) VALUES ($1, 'ABCDEFGH', 'invitation')`, a.id.String()),
			ins("an invitation of A", `INSERT INTO invitations (tenant_id, campaign_id, kind, host_id) VALUES ($1, $2, 'invitation', $3)`,
				a.id.String(), a.campaign, a.host),
			ins("an event definition of A", `INSERT INTO event_definitions (tenant_id, name) VALUES ($1, 'intruder')`, a.id.String()),
			asRefereeToo(ins("a host counter of A", `INSERT INTO host_completions (tenant_id, campaign_id, host_id, completed) VALUES ($1, $2, $3, 1)`,
				a.id.String(), a.codesCampaign, a.host)),
			ins("move B's member to A", `UPDATE members SET tenant_id = $1 WHERE email = 'mover@example.com'`, a.id.String()),
		}
		// A member who is not B's last owner, so that only RLS stands in the way.
		attacks[len(attacks)-1].setup = []sqlStmt{q(`INSERT INTO members (email, password_hash, role)
			VALUES ('mover@example.com', '$argon2id$x', 'viewer')`)}
		if dbtest.Citus() {
			// Citus changes no row's distribution column, before RLS is asked.
			attacks[len(attacks)-1].code, attacks[len(attacks)-1].msg = "0A000", "modifying the partition value of rows is not allowed"
		}
		r.run(t, b.id, attacks)
	})

	t.Run("A's and B's code registries stay apart", func(t *testing.T) {
		// Codes are unique across tenants, yet each sees only its own.
		var aCodes, bCodes []string
		r.scan(a.id, q(`SELECT array_agg(code ORDER BY code) FROM invite_codes`), &aCodes)
		r.scan(b.id, q(`SELECT array_agg(code ORDER BY code) FROM invite_codes`), &bCodes)
		for _, code := range aCodes {
			if slices.Contains(bCodes, code) {
				t.Fatalf("code %s in both tenants", code)
			}
		}
	})
}
