package tenants_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem/internal/dbtest"
	"github.com/tandemhq/tandem/tenants"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "tenants", &env) }

// reserveAll makes n reservations at once, for email from addr(i), and
// returns how many were let through.
func reserveAll(t *testing.T, th *tenants.LoginThrottle, n int, email string, addr func(i int) string) int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for i := range n {
		wg.Go(func() {
			wait, err := th.Reserve(context.Background(), email, addr(i))
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return allowed
}

// Deciding and counting are one step: however many guesses arrive at once,
// exactly the free ones go through (they once raced: 90 of 150 were checked
// against a limit of 5).
func TestLoginThrottleReservesAtomically(t *testing.T) {
	th := tenants.NewLoginThrottle(env.App)
	email := fmt.Sprintf("victim-%d@throttle.test", time.Now().UnixNano())
	if got := reserveAll(t, th, 150, email, func(int) string { return "203.0.113.7" }); got != th.Pair.Free {
		t.Errorf("one address: %d of 150 parallel attempts went through, want %d", got, th.Pair.Free)
	}
	other := fmt.Sprintf("other-%d@throttle.test", time.Now().UnixNano())
	if got := reserveAll(t, th, 150, other, func(i int) string { return fmt.Sprintf("198.18.%d.%d", i/200, i%200) }); got != th.Account.Free {
		t.Errorf("150 addresses: %d of 150 parallel attempts went through, want %d", got, th.Account.Free)
	}
}

// A success gives its reservation back and clears the e-mail's counts.
func TestLoginThrottleSucceedForgets(t *testing.T) {
	th := tenants.NewLoginThrottle(env.App)
	ctx := context.Background()
	email, addr := fmt.Sprintf("owner-%d@throttle.test", time.Now().UnixNano()), "203.0.113.9"
	for range th.Pair.Free - 1 {
		if wait, err := th.Reserve(ctx, email, addr); err != nil || wait != 0 {
			t.Fatalf("free attempt: wait %s, %v", wait, err)
		}
	}
	if wait, err := th.Reserve(ctx, email, addr); err != nil || wait != 0 {
		t.Fatalf("last free attempt: wait %s, %v", wait, err)
	}
	if err := th.Succeed(ctx, email, addr); err != nil {
		t.Fatal(err)
	}
	if wait, err := th.Reserve(ctx, email, addr); err != nil || wait != 0 {
		t.Fatalf("after a success: wait %s, %v; want a fresh start", wait, err)
	}
	// Six reservations at this address, one of them given back.
	sum := sha256.Sum256([]byte(addr))
	var failures int
	env.Owner.Raw(`SELECT failures FROM login_attempts WHERE key = ?`, "addr:"+hex.EncodeToString(sum[:])).Scan(&failures)
	if want := th.Pair.Free; failures != want {
		t.Errorf("the address counts %d attempts, want %d", failures, want)
	}
}

// Guessers cannot keep the owner out at an address the owner has logged in
// from: round after round, 64 new addresses guess the owner's e-mail and
// fill the account's key, and the owner's attempts from home go through
// every time. A new address meets the account's block.
func TestLoginThrottleKnownAddressOutlastsGuessers(t *testing.T) {
	th := tenants.NewLoginThrottle(env.App)
	ctx := context.Background()
	email, home := fmt.Sprintf("owner-%d@throttle.test", time.Now().UnixNano()), "203.0.113.50"
	attack := func(round int) {
		if n := reserveAll(t, th, 64, email, func(i int) string { return fmt.Sprintf("198.51.%d.%d", 100+round, i) }); n != th.Account.Free {
			t.Fatalf("round %d: %d guesses went through, want the account's %d", round, n, th.Account.Free)
		}
	}
	if wait, err := th.Reserve(ctx, email, home); err != nil || wait != 0 {
		t.Fatalf("first login: wait %s, %v", wait, err)
	}
	if err := th.Succeed(ctx, email, home); err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		attack(round)
		wait, err := th.Reserve(ctx, email, home)
		if err != nil || wait != 0 {
			t.Fatalf("round %d: the owner at home waits %s (%v)", round, wait, err)
		}
		if err := th.Succeed(ctx, email, home); err != nil {
			t.Fatal(err)
		}
	}
	attack(5)
	if wait, err := th.Reserve(ctx, email, "192.0.2.77"); err != nil || wait == 0 {
		t.Errorf("a new address during the attack: wait %s, %v; want the account's block", wait, err)
	}
}

// A refused attempt counts: an address that keeps trying while it waits
// waits longer each time, instead of trying again for free when its wait
// ends.
func TestLoginThrottleRefusedAttemptsCount(t *testing.T) {
	th := tenants.NewLoginThrottle(env.App)
	ctx := context.Background()
	email, addr := fmt.Sprintf("victim-%d@throttle.test", time.Now().UnixNano()), "203.0.113.51"
	for range th.Pair.Free {
		if wait, err := th.Reserve(ctx, email, addr); err != nil || wait != 0 {
			t.Fatalf("free attempt: wait %s, %v", wait, err)
		}
	}
	first, err := th.Reserve(ctx, email, addr)
	if err != nil {
		t.Fatal(err)
	}
	second, err := th.Reserve(ctx, email, addr)
	if err != nil {
		t.Fatal(err)
	}
	if first <= 0 || second < first+th.Pair.FirstWait/2 {
		t.Errorf("refused twice: waits %s then %s; want the second about twice the first", first, second)
	}
}
