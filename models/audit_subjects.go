package models

import (
	"context"
	"fmt"
	"strings"
)

// AuditSubject is what an audit entry's subject (an id) is to a person:
// a campaign by its name, a reward by the participant it was issued to, a
// member by e-mail, an API key or webhook endpoint by its name or URL.
type AuditSubject struct {
	// Kind is "campaign", "reward", "member", "api_key" or
	// "webhook_endpoint".
	Kind string
	// Name is the subject's name (for a reward, its participant's).
	Name string
	// Key is how the console addresses it: a campaign's slug, a reward's
	// participant's external id; empty for the others.
	Key string
}

// auditSubjectQueries read the names of subjects of one kind, by the
// prefix of their ids: each returns id, name and key for the ids given
// (the tenant, then the ids as a list for IN).
var auditSubjectQueries = []struct {
	prefix, kind, sql string
}{
	{"cmp_", "campaign", `SELECT id, name, slug AS key FROM campaigns WHERE tenant_id = ? AND id IN ?`},
	{"rwd_", "reward", `
		SELECT r.id, coalesce(nullif(p.display_name, ''), p.external_id) AS name, p.external_id AS key
		FROM reward_tokens r
		JOIN participants p ON p.tenant_id = r.tenant_id AND p.id = r.participant_id
		WHERE r.tenant_id = ? AND r.id IN ?`},
	{"mem_", "member", `SELECT id, email AS name, '' AS key FROM members WHERE tenant_id = ? AND id IN ?`},
	{"key_", "api_key", `SELECT id, CASE WHEN name <> '' THEN name ELSE kind || ' key' END AS name, '' AS key
		FROM api_keys WHERE tenant_id = ? AND id IN ?`},
	{"whe_", "webhook_endpoint", `SELECT id, url AS name, '' AS key FROM webhook_endpoints WHERE tenant_id = ? AND id IN ?`},
}

// AuditSubjects names the subjects of entries, keyed by subject: one
// statement per kind of subject present, whatever the number of entries.
// Subjects since deleted, and those already readable (an event's name),
// are absent.
func AuditSubjects(ctx context.Context, entries []AuditRecord) (map[string]AuditSubject, error) {
	out := map[string]AuditSubject{}
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	for _, q := range auditSubjectQueries {
		var ids []string
		for _, e := range entries {
			if strings.HasPrefix(e.Subject, q.prefix) {
				ids = append(ids, e.Subject)
			}
		}
		if len(ids) == 0 {
			continue
		}
		var rows []struct{ ID, Name, Key string }
		if err := tx.Raw(q.sql, tenantOf(ctx), ids).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("name audit subjects (%s): %w", q.kind, err)
		}
		for _, r := range rows {
			out[r.ID] = AuditSubject{Kind: q.kind, Name: r.Name, Key: r.Key}
		}
	}
	return out, nil
}
