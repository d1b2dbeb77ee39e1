package api

import (
	_ "embed"
	"sync"

	"github.com/tandemhq/tandem/web/internal/openapi"
)

// openapiJSON is the OpenAPI 3.1 document of API v1, as committed: served
// at /v1/openapi.json with its server's own URL (openapi.ForServer) and
// rendered at /docs/api. It is written by hand; the tests in
// reference_test.go hold it to the routes and to the shapes the handlers
// really answer, and the Go SDK's models are generated from it.
//
//go:embed openapi/openapi.json
var openapiJSON []byte

// loadOpenAPI parses the document once.
var loadOpenAPI = sync.OnceValues(func() (*openapi.Document, error) {
	return openapi.Parse(openapiJSON)
})
