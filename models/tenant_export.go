package models

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
)

// tenantExportSecrets are the columns a tenant export leaves out: the
// credentials Tandem keeps hashed or sealed, which are of no use to the
// tenant and of much use to whoever intercepts the archive. A column of a
// new table that looks like a secret fails TestTenantExportLeavesOutSecrets
// until it is named here or there.
var tenantExportSecrets = map[string][]string{
	"api_keys":           {"secret_hash"},
	"members":            {"password_hash"},
	"member_invitations": {"token_hash"},
	"webhook_endpoints":  {"secret", "previous_secret"},
	"stripe_connections": {"api_key"},
	"widget_tokens":      {"token_hash"},
	"fraud_keys":         {"hash_key"},
}

// TenantExportSecrets is tenantExportSecrets, for the tests and docs.
func TenantExportSecrets() map[string][]string { return tenantExportSecrets }

// ExportTenant writes every row the tenant holds to w as JSON lines, one
// row a line: {"table": "…", "row": {…}}, the row as PostgreSQL's to_jsonb
// gives it (bytea as "\\x…" hex), without the columns of
// tenantExportSecrets. The tenant's own row of tenants comes first, then
// every table with a tenant_id column, found in the catalog at the time
// (so a new table is exported without a change here), by name. Run it in
// a read-only snapshot (tenants.ReadOnly) so that the tables agree.
func ExportTenant(ctx context.Context, w io.Writer) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	var tables []string
	// Partitions are read through their parent; a table the app role
	// cannot read (River's) is not the tenant's to export.
	err = tx.Raw(`SELECT c.relname::text FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		  AND has_table_privilege(c.oid, 'SELECT')
		ORDER BY 1`).Scan(&tables).Error
	if err != nil {
		return fmt.Errorf("export tenant: list tables: %w", err)
	}
	if err := exportRows(ctx, w, "tenants", `SELECT to_jsonb(t)::text FROM tenants t WHERE t.id = ?`, tenantOf(ctx)); err != nil {
		return err
	}
	for _, table := range tables {
		q := `SELECT (to_jsonb(t) - ?::text[])::text FROM ` + pgx.Identifier{table}.Sanitize() + ` t WHERE t.tenant_id = ?`
		if err := exportRows(ctx, w, table, q, array(tenantExportSecrets[table]), tenantOf(ctx)); err != nil {
			return err
		}
	}
	return nil
}

// exportRows writes the rows query gives (each one JSON object) as lines
// of table.
func exportRows(ctx context.Context, w io.Writer, table, query string, args ...any) error {
	tx, err := db(ctx)
	if err != nil {
		return err
	}
	rows, err := tx.Raw(query, args...).Rows()
	if err != nil {
		return fmt.Errorf("export tenant: %s: %w", table, err)
	}
	defer rows.Close()
	name, err := json.Marshal(table)
	if err != nil {
		return fmt.Errorf("export tenant: %s: %w", table, err)
	}
	prefix := append(append([]byte(`{"table":`), name...), `,"row":`...)
	for rows.Next() {
		var row []byte
		if err := rows.Scan(&row); err != nil {
			return fmt.Errorf("export tenant: %s: %w", table, err)
		}
		for _, part := range [][]byte{prefix, row, []byte("}\n")} {
			if _, err := w.Write(part); err != nil {
				return fmt.Errorf("export tenant: write: %w", err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export tenant: %s: %w", table, err)
	}
	return nil
}
