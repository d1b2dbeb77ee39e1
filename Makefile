# make run: serve on a local database (see cmd/tandem); make test: what CI runs.

.PHONY: run test

run:
	go run ./cmd/tandem serve

test:
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go tool templ generate
	@# Generated code is committed: a template changed without regenerating fails here.
	git diff --exit-code -- '*_templ.go'
	go run ./internal/dbtest/withpg -- go test -race -count=1 ./...

# make bench: event ingestion through the engine beside pgbench on the same SQL (bench/ingest).
.PHONY: bench
bench:
	go run ./bench/ingest
