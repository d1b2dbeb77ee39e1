# make run: serve on a local database (see cmd/tandem); make test: what CI runs.

.PHONY: run test

run:
	go run ./cmd/tandem serve

test:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	@# The tools (staticcheck, templ, oapi-codegen, stripe-mock) are pinned in tools.mod, apart from
	@# go.mod, so the server's requirements are only what it uses; templ's version there matches go.mod's.
	go tool -modfile=tools.mod staticcheck ./...
	@# The login flood test builds the tandem binary without -race: build it here, so the test finds it cached.
	go build -o /dev/null ./cmd/tandem
	go tool -modfile=tools.mod templ generate
	@# Generated code is committed: a template changed without regenerating fails here.
	git diff --exit-code -- '*_templ.go'
	go run ./widgetjs
	@# widget.js is committed too: a change to widgetjs/src without rebuilding fails here.
	git diff --exit-code -- static/widget.js
	go tool -modfile=tools.mod oapi-codegen -config client/tandem/oapi-codegen.yaml web/api/openapi/openapi.json
	@# So are the Go SDK's models, generated from the OpenAPI document.
	git diff --exit-code -- client/tandem/client.gen.go
	@# The Go SDK is a module of its own, which ./... does not reach: its vet, staticcheck and unit
	@# tests here (gofmt above covers it); its tests against the real server are in e2e (TestSDKReferral).
	cd client/tandem && go vet ./... && go tool -modfile=../../tools.mod staticcheck ./... && go test -race -count=1 ./...
	@# Both OpenAPI documents (the API's, the widget's) pass Redocly and Spectral with no finding at all:
	@# the linters are pinned in internal/openapilint (package-lock.json), installed by `npm ci` (.ci/run).
	@test -d internal/openapilint/node_modules || { echo "make test: run npm ci --prefix internal/openapilint first (.ci/run does)"; exit 1; }
	npm run --silent --prefix internal/openapilint lint
	go run ./internal/schemasql
	@# So is the schema a fresh database ends with: a migration or function changed without regenerating fails here.
	git diff --exit-code -- docs/schema.sql
	go run ./internal/dbtest/withpg -- go test -race -count=1 ./...

# make test-citus: every suite that uses the database, on a Citus coordinator and
# two workers (docs/scale.md). Citus must be installed into the machine's
# PostgreSQL (../shared/citus/install.sh here); make test never needs it.
CITUS_SUITES = ./cmd/tandem/ ./e2e/ ./internal/database/ ./internal/dbtest/ ./internal/demo/ ./internal/jobs/ \
	./models/ ./tenants/ ./web/ ./web/api/ ./web/console/ ./web/invite/ ./web/widget/
# The suites run on a database upgraded in place, as an operator's on Citus is: migrated
# and distributed by the last release's server, then by this checkout's (withpg
# -upgrade-from). Move it to each release as it lands.
CITUS_UPGRADE_FROM = 307d429c73010f3e024eaab0f760bd6e8868a12e
.PHONY: test-citus
test-citus:
	go run ./internal/dbtest/withpg -citus -upgrade-from $(CITUS_UPGRADE_FROM) -- go test -race -count=1 $(CITUS_SUITES)

# make bench: the five ingestion figures in one table, each beside the reference transactions
# (bench/reference) run by pgbench on the same throwaway cluster in the same run (bench/ingest).
.PHONY: bench
bench:
	go run ./bench/ingest

# make bench-dashboard: the dashboard on a campaign of 1,000,000 invitations
# and 5,000,000 events, server time per query and per page (bench/dashboard).
.PHONY: bench-dashboard
bench-dashboard:
	go run ./bench/dashboard

# make bench-dashboard-large: the same at 10,000,000 invitations and 50,000,000
# events (about an hour and 40 GB of disk here, most of it generating).
.PHONY: bench-dashboard-large
bench-dashboard-large:
	go run ./bench/dashboard -invitations 10000000 -events 50000000 -hosts 1000000 -fast

# make bench-widget: the widget's reads (GET /widget/v1/…) for a host with
# 1,000 guests, server time median and p95 (bench/widget).
.PHONY: bench-widget
bench-widget:
	go run ./bench/widget

# make bench-review: the console's review queue (GET /review) with 10,000
# held rewards, server time median and p95 (bench/review).
.PHONY: bench-review
bench-review:
	go run ./bench/review

# make bench-retention: retention's enforcement of 10,000,000 expired rows while
# clients ingest for the same tenant and another, beside a baseline without it
# (bench/erasure -retention).
.PHONY: bench-retention
bench-retention:
	go run ./bench/erasure -retention
