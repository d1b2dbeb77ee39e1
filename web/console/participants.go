package console

import (
	"context"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/tandemhq/tandem/models"
	"github.com/tandemhq/tandem/views"
)

// Participants: every member may look them up. A participant's page shows
// their invitations as host, with each guest's quest progress, the
// invitations they claimed as guest, and their rewards.

// showParticipantsPage lists participants newest first, or those whose
// external id or e-mail starts with ?q=.
func (h *handler) showParticipantsPage(c *fiber.Ctx) error {
	query, page := opsQuery(c, "q"), opsListPage(c)
	return h.console(c, models.PermParticipantsView, func(ctx context.Context, s consoleSession) error {
		ps, more, err := models.SearchParticipants(ctx, query, page)
		if err != nil {
			return err
		}
		last := ""
		if len(ps) > 0 {
			last = ps[len(ps)-1].ID
		}
		return h.page(c, views.ParticipantsPage(views.ParticipantList{Query: query, Participants: ps,
			Pager: opsPager("/participants", opsValues("q", query), page, more, last)}))
	})
}

// hostInvitationsShown and participantRewardsShown bound what a
// participant's page lists; links lead to the rest.
const (
	hostInvitationsShown    = 50
	participantRewardsShown = 50
)

// showParticipantPage shows one participant, by external id (escaped as
// one path segment); an unknown one is a 404.
func (h *handler) showParticipantPage(c *fiber.Ctx) error {
	externalID, err := url.PathUnescape(c.Params("external_id"))
	if err != nil {
		return errPageNotFound
	}
	return h.console(c, models.PermParticipantsView, func(ctx context.Context, s consoleSession) error {
		p, err := models.GetParticipant(ctx, externalID)
		if err != nil {
			return err
		}
		profile := views.ParticipantProfile{Participant: p}
		profile.AsHost, profile.MoreAsHost, err = models.ListInvitations(ctx, models.InvitationFilter{Host: externalID},
			models.Page{Limit: hostInvitationsShown})
		if err != nil {
			return err
		}
		profile.AsGuest, _, err = models.ListInvitations(ctx, models.InvitationFilter{Guest: externalID}, models.Page{Limit: models.MaxPageSize})
		if err != nil {
			return err
		}
		profile.Rewards, profile.MoreRewards, err = models.ListRewardQueue(ctx, models.RewardFilter{Participant: externalID},
			models.Page{Limit: participantRewardsShown})
		if err != nil {
			return err
		}
		return h.page(c, views.ParticipantPage(profile))
	})
}
