package api

import (
	"net/http"
	"testing"
)

// The retention periods read as the defaults until saved, a PUT replaces
// them all and GET reads what it saved; a period out of bounds or missing
// is a 422 naming its field, and changes nothing.
func TestRetentionSettingsOverHTTP(t *testing.T) {
	a := newAPITenant(t)
	r := mustCall(t, a, "GET", "/v1/settings/retention", nil, http.StatusOK)
	if r.JSON["event_properties_days"] != float64(365) || r.JSON["idempotency_hours"] != float64(24) ||
		r.JSON["webhook_days"] != float64(30) || r.JSON["updated_at"] != nil {
		t.Errorf("defaults: %s", r.Body)
	}
	saved := map[string]any{"event_properties_days": 90, "idempotency_hours": 48, "webhook_days": 14}
	mustCall(t, a, "PUT", "/v1/settings/retention", saved, http.StatusOK)
	r = mustCall(t, a, "GET", "/v1/settings/retention", nil, http.StatusOK)
	if r.JSON["event_properties_days"] != float64(90) || r.JSON["idempotency_hours"] != float64(48) ||
		r.JSON["webhook_days"] != float64(14) || r.JSON["updated_at"] == nil {
		t.Errorf("after a save: %s", r.Body)
	}
	for field, bad := range map[string]any{"event_properties_days": 0, "idempotency_hours": 721, "webhook_days": 3651} {
		body := map[string]any{"event_properties_days": 90, "idempotency_hours": 48, "webhook_days": 14, field: bad}
		wantError(t, field+" out of bounds", a.call(t, "PUT", "/v1/settings/retention", body), http.StatusUnprocessableEntity, "invalid_retention", field)
	}
	wantError(t, "a missing period", a.call(t, "PUT", "/v1/settings/retention", map[string]any{"event_properties_days": 90, "idempotency_hours": 48}),
		http.StatusUnprocessableEntity, "missing_field", "webhook_days")
	wantError(t, "a period as text", a.call(t, "PUT", "/v1/settings/retention", map[string]any{"event_properties_days": "90", "idempotency_hours": 48, "webhook_days": 14}),
		http.StatusUnprocessableEntity, "invalid_type", "event_properties_days")
	r = mustCall(t, a, "GET", "/v1/settings/retention", nil, http.StatusOK)
	if r.JSON["event_properties_days"] != float64(90) || r.JSON["webhook_days"] != float64(14) {
		t.Errorf("after the refusals: %s", r.Body)
	}
}
