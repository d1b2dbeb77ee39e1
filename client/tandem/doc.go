// Package tandem is a Go client of Tandem's API v1 for tenants' backends,
// generated from the OpenAPI document (web/api/openapi/openapi.json) by
// oapi-codegen (a tool in tools.mod):
//
//	go tool -modfile=tools.mod oapi-codegen -config client/tandem/oapi-codegen.yaml web/api/openapi/openapi.json
//
// client.gen.go is committed; `make test` regenerates it and fails on a
// difference. Use it with the server's base URL and a secret key:
//
//	c, err := tandem.NewClientWithResponses("https://tandem.example", tandem.WithRequestEditorFn(
//		func(ctx context.Context, req *http.Request) error {
//			req.Header.Set("Authorization", "Bearer "+secretKey)
//			return nil
//		}))
//	resp, err := c.MintWidgetTokenWithResponse(ctx, nil, tandem.WidgetTokenRequest{Participant: "alice", Campaign: "spring"})
package tandem
