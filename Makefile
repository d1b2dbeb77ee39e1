# make run: serve on a local database (see cmd/tandem); make test: what CI runs.

.PHONY: run test

run:
	go run ./cmd/tandem serve

test:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	@# The login flood test builds the tandem binary without -race: build it here, so the test finds it cached.
	go build -o /dev/null ./cmd/tandem
	go tool templ generate
	@# Generated code is committed: a template changed without regenerating fails here.
	git diff --exit-code -- '*_templ.go'
	go run ./internal/dbtest/withpg -- go test -race -count=1 ./...

# make bench: event ingestion through the engine beside pgbench on the same SQL (bench/ingest).
.PHONY: bench
bench:
	go run ./bench/ingest

# make bench-dashboard: the dashboard on a campaign of 1,000,000 invitations
# and 5,000,000 events, server time per query and per page (bench/dashboard).
.PHONY: bench-dashboard
bench-dashboard:
	go run ./bench/dashboard

# make bench-http: event ingestion through the HTTP API (tandem serve as a process of its own, its
# memory read from /proc) beside pgbench on the same SQL (bench/http); make bench-all: both benchmarks.
.PHONY: bench-http bench-all
bench-http:
	go run ./bench/http

bench-all: bench bench-http
