// Command referral-backend is a runnable example of a tenant's backend
// using Tandem's Go SDK (client/tandem) alone (package shop): it drives a
// referral to its rewards and, given a URL Tandem can reach, receives and
// verifies the webhooks.
//
//	TANDEM_URL=http://localhost:8080 TANDEM_SECRET_KEY=sk_… go run ./examples/referral-backend
//
// With WEBHOOK_URL (Tandem must be able to reach it; the server refuses
// private addresses unless configured for development), it listens on
// WEBHOOK_ADDR (default localhost:4000) and logs every reward message.
package main

import (
	"cmp"
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"

	"github.com/tandemhq/tandem/client/tandem"
	"github.com/tandemhq/tandem/examples/referral-backend/shop"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c := tandem.NewClient(os.Getenv("TANDEM_SECRET_KEY"), tandem.WithBaseURL(cmp.Or(os.Getenv("TANDEM_URL"), tandem.DefaultBaseURL)))
	if url := os.Getenv("WEBHOOK_URL"); url != "" {
		rcv := shop.NewReceiver()
		if err := rcv.Subscribe(ctx, c, url); err != nil {
			log.Fatal(err)
		}
		addr := os.Getenv("WEBHOOK_ADDR")
		if addr == "" {
			addr = "localhost:4000"
		}
		go func() { log.Fatal(http.ListenAndServe(addr, rcv)) }()
	}
	res, err := shop.Run(ctx, c, shop.Options{Campaign: "bring-a-friend-sdk", Host: "hana",
		Guests: []string{"ida", "jon", "kai"}, PageSize: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res.Rewards {
		log.Printf("hana earned %s (%s)", r.Description, r.ID)
	}
	log.Printf("redeemed %s", res.Redeemed.ID)
	if os.Getenv("WEBHOOK_URL") != "" {
		log.Print("waiting for webhooks; ^C to stop")
		<-ctx.Done()
	}
}
