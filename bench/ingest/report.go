package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
	"time"
)

// row is one line of the table: a figure beside its goal.
type row struct {
	figure    string
	measured  string
	reference string // "—" when the goal is not a ratio
	ratio     string // "—" when the goal is not a ratio
	goal      string
	pass      bool
}

// ratioRow is a figure whose goal is a ratio of two rates measured in the
// same run: measured events/s over the reference's ≥ goal. referenceText
// says what the reference is. A reference of zero fails.
func ratioRow(figure string, measured, reference float64, referenceText string, goal float64) row {
	r := row{figure: figure, measured: rate(measured, "events"), reference: referenceText, ratio: "—",
		goal: fmt.Sprintf("≥ %.2f", goal)}
	if reference > 0 {
		ratio := measured / reference
		r.ratio = floor2(ratio)
		r.pass = ratio >= goal
	}
	return r
}

// floor2 prints a ratio with two decimals, rounded down, so that a ratio
// shown at its goal has met it.
func floor2(ratio float64) string { return fmt.Sprintf("%.2f", math.Floor(ratio*100+1e-9)/100) }

// boundRow is a figure whose goal is an upper bound: value < bound, both in
// unit.
func boundRow(figure, measured string, value, bound float64, unit string) row {
	return row{figure: figure, measured: measured, reference: "—", ratio: "—",
		goal: fmt.Sprintf("< %s %s", strconv.FormatFloat(bound, 'f', -1, 64), unit), pass: value < bound}
}

// checkRow is a rule that holds or not: err is nil when it holds.
func checkRow(figure, holds string, err error) row {
	r := row{figure: figure, measured: holds, reference: "—", ratio: "—", goal: "holds", pass: err == nil}
	if err != nil {
		r.measured = "BROKEN (see below)"
	}
	return r
}

// printTable writes the rows as one aligned table.
func printTable(out io.Writer, rows []row) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "figure\tmeasured\treference\tratio\tgoal\tresult")
	for _, r := range rows {
		result := "pass"
		if !r.pass {
			result = "FAIL"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.figure, r.measured, r.reference, r.ratio, r.goal, result)
	}
	return w.Flush()
}

// rate formats a rate per second of what, to the unit: "3,700 tx/s".
func rate(perSecond float64, what string) string {
	return thousands(int64(math.Round(perSecond))) + " " + what + "/s"
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// millis formats a latency in milliseconds, to a tenth.
func millis(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

// megabytes formats kB as MB, to the unit.
func megabytes(kB int64) string {
	return fmt.Sprintf("%.0f MB", float64(kB)/1024)
}
