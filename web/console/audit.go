package console

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// showAuditLogPage lists the audit log newest first, filtered by
// ?action= (a prefix such as "reward" or "reward.redeemed") and ?actor=
// (exact: "member:mem_…", "key:key_…", "system", "cli").
func (h *handler) showAuditLogPage(c *fiber.Ctx) error {
	f := models.AuditFilter{ActionPrefix: opsQuery(c, "action"), Actor: opsQuery(c, "actor")}
	page := opsListPage(c)
	return h.console(c, models.PermAuditView, func(ctx context.Context, s consoleSession) error {
		entries, more, err := models.ListAuditRecords(ctx, f, page)
		if err != nil {
			return err
		}
		actors, err := opsAuditActors(ctx)
		if err != nil {
			return err
		}
		subjects, err := models.AuditSubjects(ctx, entries)
		if err != nil {
			return err
		}
		last := ""
		if len(entries) > 0 {
			last = strconv.FormatInt(entries[len(entries)-1].ID, 10)
		}
		filter := opsValues("action", f.ActionPrefix, "actor", f.Actor)
		return h.page(c, views.AuditLogPage(views.AuditLog{Filter: f, Actors: actors, Entries: entries,
			Subjects: subjects, Filtered: len(filter) > 0, Pager: opsPager("/audit", filter, page, more, last)}))
	})
}

// opsAuditActors are the actor filter's options: the members, the API keys,
// and Tandem itself.
func opsAuditActors(ctx context.Context) ([]views.AuditActor, error) {
	members, err := models.ListMembers(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := models.ListAPIKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []views.AuditActor
	for _, m := range members {
		out = append(out, views.AuditActor{Value: "member:" + m.ID, Label: m.Email})
	}
	for _, k := range keys {
		label := k.Name
		if label == "" {
			label = k.Kind + " key"
		}
		out = append(out, views.AuditActor{Value: "key:" + k.ID, Label: "API key: " + label})
	}
	return append(out, views.AuditActor{Value: "system", Label: "Tandem"}, views.AuditActor{Value: "cli", Label: "Command line"}), nil
}
