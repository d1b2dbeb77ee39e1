// Package e2e drives the admin console end to end in a real headless
// Chromium (Debian's chromium package, which .ci/run installs): a new
// tenant signs up, defines events, builds and publishes a referrer-code
// campaign, watches a guest progress through the quest as events arrive
// through models, redeems a reward and sees the dashboard change. It also
// runs the example backends: the widget's partner page, and the referral
// backend written with the Go SDK (TestSDKReferral, no browser).
//
// It has tests only. They serve web.New on a loopback listener, against a
// database of the dbtest harness, and fail on any JavaScript console error
// or Content-Security-Policy violation. Screenshots of the main pages go to
// $E2E_OUT, or to tandem-e2e under the system's temporary directory: never
// into the repository.
//
//	go run ./internal/dbtest/withpg -- go test -count=1 -run E2E ./e2e/
package e2e
