package widget

import _ "embed"

// openapiJSON is the OpenAPI 3.1 document of the widget's API, as
// committed: served at /widget/v1/openapi.json with its server's own URL
// (openapi.ForServer). It is written by hand; the widget's tests check
// every answer they get against it (openapitest) and that it lists
// exactly the routes served.
//
//go:embed openapi/openapi.json
var openapiJSON []byte
