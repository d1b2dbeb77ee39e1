// Package shop is the example backend of a tenant (a shop) that runs a
// bring-a-friend campaign through Tandem's Go SDK alone: it declares its
// events, publishes the campaign, has a host invite friends who claim
// and complete the quest, lists the host's rewards across pages and
// redeems one, and verifies the webhooks Tandem sends (Receiver). The
// end-to-end test runs it against a real server behind a proxy that
// injects failures.
package shop

import (
	"context"
	"fmt"

	"github.com/tandemhq/tandem/client/tandem"
)

// Options is what Run varies.
type Options struct {
	// Campaign is the campaign's slug.
	Campaign string
	// Host is the external id of the user who invites; Guests are invited.
	Host   string
	Guests []string
	// PageSize is how many rewards each page of the listing holds.
	PageSize int
}

// Result is what Run did.
type Result struct {
	Invitations []*tandem.Invitation
	// Rewards are the host's rewards, every page of them.
	Rewards []*tandem.RewardToken
	// Redeemed is the reward Run redeemed.
	Redeemed *tandem.RewardToken
}

// Steps of the quest: a guest signs up, then places a first order.
const (
	stepSignedUp   = "signed_up"
	stepFirstOrder = "first_order"
)

// Run drives a referral to its rewards: the host earns a $10 credit for
// every friend who signs up and orders, the friend $5.
func Run(ctx context.Context, c *tandem.Client, o Options) (*Result, error) {
	if err := setUpCampaign(ctx, c, o.Campaign); err != nil {
		return nil, err
	}
	if _, err := c.Participants.Upsert(ctx, &tandem.ParticipantRequest{ExternalID: o.Host, DisplayName: tandem.String("Hana")}); err != nil {
		return nil, fmt.Errorf("add the host: %w", err)
	}
	res := &Result{}
	var orders []tandem.EventRequest
	for _, guest := range o.Guests {
		inv, err := invite(ctx, c, o.Campaign, o.Host, guest)
		if err != nil {
			return nil, err
		}
		res.Invitations = append(res.Invitations, inv)
		orders = append(orders, tandem.EventRequest{Participant: guest, Name: stepFirstOrder,
			Properties: map[string]any{"total_cents": 4200}})
	}
	// The shop reports orders in batches, as its order pipeline flushes.
	batch, err := c.Events.SendBatch(ctx, orders)
	if err != nil {
		return nil, fmt.Errorf("report orders: %w", err)
	}
	for _, r := range batch.Results {
		if r.Status == tandem.EventBatchResultStatusError {
			return nil, fmt.Errorf("report orders: event %d refused: %s", r.Index, r.Error.Message)
		}
	}
	for reward, err := range c.Rewards.All(ctx, &tandem.RewardListParams{Participant: o.Host, ListParams: tandem.ListParams{Limit: o.PageSize}}) {
		if err != nil {
			return nil, fmt.Errorf("list the host's rewards: %w", err)
		}
		res.Rewards = append(res.Rewards, reward)
	}
	if len(res.Rewards) > 0 {
		// The shop credits the customer's account, then marks the reward used.
		if res.Redeemed, err = c.Rewards.Redeem(ctx, res.Rewards[0].ID); err != nil {
			return nil, fmt.Errorf("redeem %s: %w", res.Rewards[0].ID, err)
		}
	}
	return res, nil
}

func setUpCampaign(ctx context.Context, c *tandem.Client, slug string) error {
	for _, name := range []string{stepSignedUp, stepFirstOrder} {
		if _, err := c.EventDefinitions.Create(ctx, &tandem.EventDefinitionRequest{Name: name}); err != nil {
			return fmt.Errorf("declare %s: %w", name, err)
		}
	}
	credit := func(cents int64) tandem.Reward {
		return tandem.Reward{Description: fmt.Sprintf("$%d credit", cents/100), Kind: tandem.RewardKindCredit,
			Amount: tandem.Int64(cents), Currency: tandem.String("USD")}
	}
	guest := credit(500)
	_, err := c.Campaigns.Save(ctx, slug, &tandem.CampaignDraftRequest{
		Name: "Bring a friend", Mode: tandem.CampaignDraftRequestModeInvitation,
		Quest:               tandem.Quest{Steps: []string{stepSignedUp, stepFirstOrder}},
		HostMilestones:      []tandem.Milestone{{Count: 1, Reward: credit(1000)}},
		RepeatLastMilestone: tandem.Bool(true),
		GuestReward:         &guest,
	})
	if err != nil {
		return fmt.Errorf("save the campaign: %w", err)
	}
	if _, err := c.Campaigns.Publish(ctx, slug, nil); err != nil {
		return fmt.Errorf("publish the campaign: %w", err)
	}
	return nil
}

// invite has the host invite guest by e-mail; the guest follows the link,
// signs up (the shop claims the code for them) and says so.
func invite(ctx context.Context, c *tandem.Client, campaign, host, guest string) (*tandem.Invitation, error) {
	inv, err := c.Invitations.Create(ctx, campaign, &tandem.InvitationRequest{Host: host, Channel: tandem.String("email"),
		Recipient: tandem.String(guest + "@example.com")})
	if err != nil {
		return nil, fmt.Errorf("invite %s: %w", guest, err)
	}
	claimed, err := c.Invitations.Claim(ctx, &tandem.ClaimRequest{Code: inv.Code, Guest: guest})
	if err != nil {
		return nil, fmt.Errorf("claim %s for %s: %w", inv.Code, guest, err)
	}
	if _, err := c.Events.Send(ctx, &tandem.EventRequest{Participant: guest, Name: stepSignedUp}); err != nil {
		return nil, fmt.Errorf("report %s's sign-up: %w", guest, err)
	}
	return claimed, nil
}
