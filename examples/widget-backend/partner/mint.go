package partner

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tandemhq/tandem/client/tandem"
)

// NewMinter mints tokens through Tandem's API (POST /v1/widget/tokens)
// with the generated client.
func NewMinter(tandemURL, secretKey string) Minter {
	auth := tandem.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+secretKey)
		return nil
	})
	client, err := tandem.NewClientWithResponses(tandemURL, auth, tandem.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}))
	return func(ctx context.Context, participant, campaign string) (string, error) {
		if err != nil {
			return "", fmt.Errorf("mint widget token: %w", err)
		}
		resp, err := client.MintWidgetTokenWithResponse(ctx, nil, tandem.WidgetTokenRequest{Participant: participant, Campaign: campaign})
		if err != nil {
			return "", fmt.Errorf("mint widget token: %w", err)
		}
		if resp.JSON201 == nil {
			return "", fmt.Errorf("mint widget token: %s: %s", resp.Status(), resp.Body)
		}
		return resp.JSON201.Token, nil
	}
}
