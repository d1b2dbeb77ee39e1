package models

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"
)

// ExportedEvent is an event as a participant's export shows it.
type ExportedEvent struct {
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	IdempotencyKey *string         `json:"idempotency_key"`
	OccurredAt     time.Time       `json:"occurred_at"`
	ReceivedAt     time.Time       `json:"received_at"`
	Properties     json.RawMessage `json:"properties"`
}

// exportedEventRow reads properties as text: the export passes the JSON
// through as stored.
type exportedEventRow struct {
	ID             string
	Name           string
	IdempotencyKey *string
	OccurredAt     time.Time
	ReceivedAt     time.Time
	Properties     string
}

// ExportedAuditEntry is an audit entry about a participant.
type ExportedAuditEntry struct {
	ID      int64           `json:"id"`
	Actor   string          `json:"actor"`
	Action  string          `json:"action"`
	Subject string          `json:"subject"`
	Before  json.RawMessage `json:"before"`
	After   json.RawMessage `json:"after"`
	At      time.Time       `json:"at"`
}

type exportedAuditRow struct {
	ID            int64
	Actor, Action string
	Subject       string
	Before, After *string
	At            time.Time
}

// rawJSON is stored JSON text as it is, null when there is none.
func rawJSON(s *string) json.RawMessage {
	if s == nil {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}

// exportSection is one array of a participant's export: a statement over
// the tenant (@tenant) and the participant's id (@participant) or external
// id (@external), and how
// one of its rows is written.
type exportSection struct {
	name  string
	query string
	row   func(tx *gorm.DB, rows *sql.Rows) (any, error)
}

// rowAs scans a row into T and writes shape of it (T itself when shape is
// nil).
func rowAs[T any](shape func(T) any) func(*gorm.DB, *sql.Rows) (any, error) {
	return func(tx *gorm.DB, rows *sql.Rows) (any, error) {
		var v T
		if err := tx.ScanRows(rows, &v); err != nil {
			return nil, err
		}
		if shape == nil {
			return v, nil
		}
		return shape(v), nil
	}
}

// participantSections is everything Tandem holds about a participant
// besides the participant row, one section per table that names them
// (participant_id, host_id, guest_id), and the webhook messages and audit
// entries whose object or subject is theirs. Widget tokens are listed
// without their hash; webhook messages without payload or facts.
var participantSections = []exportSection{
	{"invitations_as_host", invitationSelect + `
		WHERE i.tenant_id = @tenant AND i.host_id = @participant ORDER BY i.created_at, i.id`,
		rowAs(func(r invitationRow) any { return r.invitation(time.Now()) })},
	{"invitations_as_guest", invitationSelect + `
		WHERE i.tenant_id = @tenant AND i.guest_id = @participant ORDER BY i.created_at, i.id`,
		rowAs(func(r invitationRow) any { return r.invitation(time.Now()) })},
	{"referrer_codes", `
		SELECT c.slug AS campaign, r.code, r.created_at
		FROM referrer_codes r JOIN campaigns c ON c.tenant_id = r.tenant_id AND c.id = r.campaign_id
		WHERE r.tenant_id = @tenant AND r.host_id = @participant ORDER BY r.created_at`,
		rowAs[struct {
			Campaign  string    `json:"campaign"`
			Code      string    `json:"code"`
			CreatedAt time.Time `json:"created_at"`
		}](nil)},
	{"completions", `
		SELECT c.slug AS campaign, h.completed
		FROM host_completions h JOIN campaigns c ON c.tenant_id = h.tenant_id AND c.id = h.campaign_id
		WHERE h.tenant_id = @tenant AND h.host_id = @participant ORDER BY c.slug`,
		rowAs[struct {
			Campaign  string `json:"campaign"`
			Completed int    `json:"completed"`
		}](nil)},
	{"events", `
		SELECT id, name, idempotency_key, occurred_at, received_at, properties::text AS properties
		FROM events WHERE tenant_id = @tenant AND participant_id = @participant ORDER BY occurred_at, id`,
		rowAs(func(r exportedEventRow) any {
			return ExportedEvent{ID: r.ID, Name: r.Name, IdempotencyKey: r.IdempotencyKey, OccurredAt: r.OccurredAt,
				ReceivedAt: r.ReceivedAt, Properties: json.RawMessage(r.Properties)}
		})},
	{"event_names", `
		SELECT name FROM participant_event_names WHERE tenant_id = @tenant AND participant_id = @participant ORDER BY name`,
		rowAs[struct {
			Name string `json:"name"`
		}](nil)},
	{"rewards", rewardSelect + `
		WHERE r.tenant_id = @tenant AND r.participant_id = @participant ORDER BY r.issued_at, r.id`,
		rowAs[RewardToken](nil)},
	{"raffle_entries", `
		SELECT e.draw_id AS raffle, e.tickets, d.drawn_at
		FROM raffle_entries e JOIN raffle_draws d ON d.tenant_id = e.tenant_id AND d.id = e.draw_id
		WHERE e.tenant_id = @tenant AND e.participant_id = @participant ORDER BY d.drawn_at, e.draw_id`,
		rowAs[struct {
			Raffle  string    `json:"raffle"`
			Tickets int64     `json:"tickets"`
			DrawnAt time.Time `json:"drawn_at"`
		}](nil)},
	{"raffle_wins", `
		SELECT w.draw_id AS raffle, w.place, d.drawn_at
		FROM raffle_winners w JOIN raffle_draws d ON d.tenant_id = w.tenant_id AND d.id = w.draw_id
		WHERE w.tenant_id = @tenant AND w.participant_id = @participant ORDER BY d.drawn_at, w.draw_id`,
		rowAs[struct {
			Raffle  string    `json:"raffle"`
			Place   int       `json:"place"`
			DrawnAt time.Time `json:"drawn_at"`
		}](nil)},
	{"widget_tokens", `
		SELECT w.id, c.slug AS campaign, w.key_id AS key, w.created_at, w.expires_at
		FROM widget_tokens w JOIN campaigns c ON c.tenant_id = w.tenant_id AND c.id = w.campaign_id
		WHERE w.tenant_id = @tenant AND w.participant_id = @participant ORDER BY w.created_at, w.id`,
		rowAs[struct {
			ID        string    `json:"id"`
			Campaign  string    `json:"campaign"`
			Key       string    `json:"key"`
			CreatedAt time.Time `json:"created_at"`
			ExpiresAt time.Time `json:"expires_at"`
		}](nil)},
	// Where they were seen from, as the keyed hashes same_client compares.
	{"clients", `
		SELECT client_hash AS client, seen_at FROM participant_clients
		WHERE tenant_id = @tenant AND participant_id = @participant ORDER BY client_hash`,
		rowAs[struct {
			Client string    `json:"client"`
			SeenAt time.Time `json:"seen_at"`
		}](nil)},
	// The messages about them (participant.*, whose object is the external
	// id: only those types, since a campaign's slug could equal it), their
	// invitations, rewards and the raffles they won: what an endpoint of
	// the tenant was told about them.
	{"webhook_messages", `
		SELECT m.id, m.type, m.object_id AS object, m.created_at
		FROM webhook_messages m
		WHERE m.tenant_id = @tenant AND (
		  (m.type IN ('participant.created', 'participant.updated', 'participant.erased') AND m.object_id = @external)
		  OR m.object_id IN (
		    SELECT id FROM invitations WHERE tenant_id = @tenant AND host_id = @participant
		    UNION ALL SELECT id FROM invitations WHERE tenant_id = @tenant AND guest_id = @participant
		    UNION ALL SELECT id FROM reward_tokens WHERE tenant_id = @tenant AND participant_id = @participant
		    UNION ALL SELECT draw_id FROM raffle_winners WHERE tenant_id = @tenant AND participant_id = @participant))
		ORDER BY m.id`,
		rowAs[struct {
			ID        string    `json:"id"`
			Type      string    `json:"type"`
			Object    string    `json:"object"`
			CreatedAt time.Time `json:"created_at"`
		}](nil)},
	// Entries about the participant or one of their rewards (who settled
	// it, when).
	{"audit_entries", `
		SELECT a.id, a.actor, a.action, a.subject, a.before::text AS before, a.after::text AS after, a.at
		FROM audit_log a
		WHERE a.tenant_id = @tenant AND a.subject IN (
		  SELECT @participant
		  UNION ALL SELECT id FROM reward_tokens WHERE tenant_id = @tenant AND participant_id = @participant)
		ORDER BY a.id`,
		rowAs(func(r exportedAuditRow) any {
			return ExportedAuditEntry{ID: r.ID, Actor: r.Actor, Action: r.Action, Subject: r.Subject,
				Before: rawJSON(r.Before), After: rawJSON(r.After), At: r.At}
		})},
}

// ExportParticipant writes to w, as one JSON object, everything the tenant
// holds about the participant with externalID: the participant, then one
// array per section of participantSections, row by row as each statement
// reads them, so a participant with many events is never held in memory
// whole. Run it in a read-only transaction (tenants.ReadOnly) for one
// consistent snapshot. A missing participant is ErrParticipantNotFound,
// before anything is written.
func ExportParticipant(ctx context.Context, externalID string, w io.Writer) error {
	p, err := GetParticipant(ctx, externalID)
	if err != nil {
		return err
	}
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	fmt.Fprintf(out, `{"object":"participant_export","exported_at":%q,"participant":`, time.Now().UTC().Format(time.RFC3339Nano))
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("export participant: %w", err)
	}
	args := map[string]any{"tenant": tenantOf(ctx), "participant": p.ID, "external": p.ExternalID}
	for _, s := range participantSections {
		if err := writeSection(tx, out, enc, s, args); err != nil {
			return fmt.Errorf("export participant (%s): %w", s.name, err)
		}
	}
	if _, err := out.WriteString("}\n"); err != nil {
		return fmt.Errorf("export participant: %w", err)
	}
	return out.Flush()
}

// writeSection writes `,"name":[…]` with one element per row of s.
func writeSection(tx *gorm.DB, out *bufio.Writer, enc *json.Encoder, s exportSection, args map[string]any) error {
	rows, err := tx.Raw(s.query, args).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Fprintf(out, `,%q:[`, s.name)
	for n := 0; rows.Next(); n++ {
		v, err := s.row(tx, rows)
		if err != nil {
			return err
		}
		if n > 0 {
			out.WriteByte(',')
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = out.WriteString("]")
	return err
}
