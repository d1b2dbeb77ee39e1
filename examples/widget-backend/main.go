// Command widget-backend is a runnable example of a tenant's backend that
// embeds Tandem's referral widget (package partner).
//
//	TANDEM_URL=http://localhost:8080 TANDEM_SECRET_KEY=sk_… TANDEM_PUBLISHABLE_KEY=pk_… \
//	TANDEM_CAMPAIGN=spring go run ./examples/widget-backend
//
// Then allow its origin (PUT /v1/widget/settings, or the console's Widget
// page: http://localhost:3000) and open http://localhost:3000/?user=alice.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/tandemhq/tandem/examples/widget-backend/partner"
)

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "localhost:3000"
	}
	h := partner.Handler(partner.Config{
		TandemURL:      os.Getenv("TANDEM_URL"),
		SecretKey:      os.Getenv("TANDEM_SECRET_KEY"),
		PublishableKey: os.Getenv("TANDEM_PUBLISHABLE_KEY"),
		Campaign:       os.Getenv("TANDEM_CAMPAIGN"),
	})
	log.Printf("widget-backend: http://%s/?user=alice", addr)
	log.Fatal(http.ListenAndServe(addr, h))
}
