package forecast

import (
	"slices"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdsi"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Span is a length of time of the schedule (cdsi.Span).
type Span = cdsi.Span

// groupsOf returns the CDSi vaccine groups a CVX code counts toward.
func groupsOf(cvx string) []string { return cdsi.Groups(hl7.NormCVX(cvx)) }

func inGroup(cvx, group string) bool { return slices.Contains(groupsOf(cvx), group) }

// liveConflict reports whether a dose of cur given on day was given too
// soon after a dose of prev given on prevDay (CDSi live-virus conflicts).
func liveConflict(prev string, prevDay time.Time, cur string, day time.Time) bool {
	c, ok := cdsi.LiveConflict(hl7.NormCVX(prev), hl7.NormCVX(cur))
	if !ok {
		return false
	}
	return !day.Before(c.Begin.From(prevDay)) && day.Before(c.End.From(prevDay))
}
