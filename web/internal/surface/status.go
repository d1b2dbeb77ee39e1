package surface

import (
	"net/http"

	"github.com/tandemhq/tandem/models"
)

// kindStatus is the HTTP status of each kind of domain error: the one place
// the surfaces map models' verdicts to HTTP, whether they answer in JSON
// (api, widget) or with a page (console). An array of models.KindCount, so
// every kind has its entry.
var kindStatus = [models.KindCount]int{
	models.Invalid:   http.StatusUnprocessableEntity,
	models.NotFound:  http.StatusNotFound,
	models.Conflict:  http.StatusConflict,
	models.Gone:      http.StatusGone,
	models.Forbidden: http.StatusForbidden,
	models.Limited:   http.StatusTooManyRequests,
	models.OverLimit: http.StatusPaymentRequired,
}

// Status is the HTTP status a domain error of kind k is answered with.
func Status(k models.Kind) int { return kindStatus[k] }
