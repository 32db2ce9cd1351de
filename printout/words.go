package printout

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// The screen and the paper describe a forecast with the same words and in
// the same order, so a nurse reading one after the other finds the same
// rows where she expects them.

// StatusWord is a forecast status as the nurse reads it: upper case for the
// statuses that call for action ("OVERDUE", "DUE NOW"), "upcoming" for a
// dose on schedule, anything else as the registry sent it.
func StatusWord(status string) string {
	switch status {
	case hl7.StatusOverdue:
		return "OVERDUE"
	case hl7.StatusDue:
		return "DUE NOW"
	case hl7.StatusOnSchedule:
		return "upcoming"
	}
	return status
}

// ForecastGroup names a forecast row's vaccine group: the registry's
// name, else the CDC group of its CVX, else the vaccine.
func ForecastGroup(f hl7.Forecast) string {
	return cmp.Or(f.Group, hl7.GroupName(f.CVX), f.Vaccine, f.CVX)
}

var urgency = map[string]int{hl7.StatusOverdue: 0, hl7.StatusDue: 1, hl7.StatusOnSchedule: 2}

// ByUrgency returns the forecast most urgent first (overdue, due now,
// upcoming, then the rest), by vaccine group within each: what the nurse
// must act on is at the top. fc is not changed.
func ByUrgency(fc []hl7.Forecast) []hl7.Forecast {
	rank := func(f hl7.Forecast) int {
		if r, ok := urgency[f.Status]; ok {
			return r
		}
		return len(urgency)
	}
	rows := slices.Clone(fc)
	slices.SortStableFunc(rows, func(a, b hl7.Forecast) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)),
			cmp.Compare(strings.ToLower(ForecastGroup(a)), strings.ToLower(ForecastGroup(b))))
	})
	return rows
}
