package models

import (
	"context"
	"fmt"
)

// CampaignStats are a campaign's key numbers for the console's list: its
// invitations by how far they got, and the reward tokens it issued (in any
// status since: a redeemed or voided reward was still issued).
type CampaignStats struct {
	CampaignID string
	// Invitations counts every invitation; in referrer-code mode they are
	// born claimed, so it equals Claimed.
	Invitations int
	Claimed     int
	Completed   int
	Rewards     int
}

// CampaignStatsByID counts the key numbers of the campaigns with these ids
// (a page of the list), one grouped count per table rather than one query
// per campaign. Campaigns with nothing yet are absent from the map.
func CampaignStatsByID(ctx context.Context, ids []string) (map[string]CampaignStats, error) {
	out := make(map[string]CampaignStats, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	tx, err := db(ctx)
	if err != nil {
		return nil, err
	}
	var invs []CampaignStats
	err = tx.Raw(`
		SELECT campaign_id, count(*) AS invitations, count(claimed_at) AS claimed, count(completed_at) AS completed
		FROM invitations WHERE campaign_id IN ? GROUP BY campaign_id`, ids).Scan(&invs).Error
	if err != nil {
		return nil, fmt.Errorf("count campaign invitations: %w", err)
	}
	for _, s := range invs {
		out[s.CampaignID] = s
	}
	var rewards []struct {
		CampaignID string
		Rewards    int
	}
	err = tx.Raw(`SELECT campaign_id, count(*) AS rewards FROM reward_tokens WHERE campaign_id IN ? GROUP BY campaign_id`, ids).Scan(&rewards).Error
	if err != nil {
		return nil, fmt.Errorf("count campaign rewards: %w", err)
	}
	for _, r := range rewards {
		s := out[r.CampaignID]
		s.CampaignID, s.Rewards = r.CampaignID, r.Rewards
		out[r.CampaignID] = s
	}
	return out, nil
}
