package api

// CheckWebhook lists how a webhook body departs from the webhooks section
// of this API's OpenAPI document (nothing when it conforms). The tests of
// whatever sends or receives webhooks (the delivery jobs, the SDK's end to
// end test) run it on every body they get, as the reference tests hold the
// API's answers to the same document.
func CheckWebhook(body []byte) []string {
	doc, err := loadOpenAPI()
	if err != nil {
		return []string{err.Error()}
	}
	return doc.CheckWebhook(body)
}
