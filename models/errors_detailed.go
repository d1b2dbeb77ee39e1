package models

import "fmt"

// DetailedError is one of the refusals below (Base) told about the case at
// hand: its message names the values involved (the campaign's mode and the
// one the request needs, the event name and the nearest defined one), and
// Field the input at fault, if any. errors.Is(err, Base) still holds, so
// callers that test for the refusal see no difference.
type DetailedError struct {
	Base    *Error
	Field   string
	Message string
}

func (e *DetailedError) Error() string { return e.Message }

// Unwrap returns the refusal this one details.
func (e *DetailedError) Unwrap() error { return e.Base }

// detail is e told about the case at hand.
func (e *Error) detail(field, format string, args ...any) *DetailedError {
	return &DetailedError{Base: e, Field: field, Message: fmt.Sprintf(format, args...)}
}

// modeMismatch refuses an action that needs a campaign in mode need in
// campaign c, naming both modes.
func modeMismatch(c Campaign, need, action string) error {
	return ErrCampaignModeMismatch.detail("", "campaign %q is in %s mode; %s needs a campaign in %s mode",
		c.Slug, c.Mode, action, need)
}
