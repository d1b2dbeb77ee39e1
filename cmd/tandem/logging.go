package main

import (
	"io"
	"log/slog"
	"os"
)

// newLogHandler writes JSON lines (one object per line, for a log
// collector), or text when w is a terminal (a developer reading along),
// at level and above.
func newLogHandler(w io.Writer, level slog.Level) slog.Handler {
	opts := &slog.HandlerOptions{Level: level}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return slog.NewTextHandler(w, opts)
		}
	}
	return slog.NewJSONHandler(w, opts)
}
