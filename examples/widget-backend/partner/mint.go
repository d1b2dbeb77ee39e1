package partner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// NewMinter mints tokens through Tandem's API (POST /v1/widget/tokens).
func NewMinter(tandemURL, secretKey string) Minter {
	client := &http.Client{Timeout: 10 * time.Second}
	return func(ctx context.Context, participant, campaign string) (string, error) {
		body, _ := json.Marshal(map[string]string{"participant": participant, "campaign": campaign})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, tandemURL+"/v1/widget/tokens", bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+secretKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return "", fmt.Errorf("mint widget token: %w", err)
		}
		defer resp.Body.Close()
		var out struct {
			Token string `json:"token"`
		}
		if resp.StatusCode != http.StatusCreated {
			return "", fmt.Errorf("mint widget token: %s", resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return "", fmt.Errorf("mint widget token: %w", err)
		}
		return out.Token, nil
	}
}
