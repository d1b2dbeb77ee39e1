package partner

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tandemhq/tandem/client/tandem"
)

// NewMinter mints tokens through Tandem's API (POST /v1/widget/tokens)
// with the Go SDK.
func NewMinter(tandemURL, secretKey string) Minter {
	c := tandem.NewClient(secretKey, tandem.WithBaseURL(tandemURL), tandem.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}))
	return func(ctx context.Context, participant, campaign string) (string, error) {
		tok, err := c.WidgetTokens.Create(ctx, &tandem.WidgetTokenRequest{Participant: participant, Campaign: campaign})
		if err != nil {
			return "", fmt.Errorf("mint widget token: %w", err)
		}
		return tok.Token, nil
	}
}
