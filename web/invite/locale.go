package invite

import (
	"slices"

	"golang.org/x/text/language"

	"github.com/tandemhq/tandem/models"
)

// visitorLocale is the first language of an Accept-Language header, by
// weight, that the tenant's texts can be in (models.Locales): fr-CA reads
// fr. "" when none is, or the header is malformed; the tenant's default
// locale is read then.
func visitorLocale(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return ""
	}
	for _, tag := range tags {
		base, _ := tag.Base()
		if slices.Contains(models.Locales, base.String()) {
			return base.String()
		}
	}
	return ""
}
