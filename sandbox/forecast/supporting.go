package forecast

import (
	_ "embed"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// supportingData is the CDC CDSi 4.64 supporting data: which antigens each
// CVX code carries, which antigens make up each vaccine group, and the
// live-virus conflicts between vaccines given close together.
//
//go:embed cdsi-4.64-ScheduleSupportingData.xml
var supportingData []byte

type cdsiData struct {
	VaccineGroups []struct {
		Name     string   `xml:"name"`
		Antigens []string `xml:"antigen"`
	} `xml:"vaccineGroupToAntigenMap>vaccineGroupMap"`
	CVXMap []struct {
		CVX      string   `xml:"cvx"`
		Antigens []string `xml:"association>antigen"`
	} `xml:"cvxToAntigenMap>cvxMap"`
	LiveConflicts []struct {
		Previous string `xml:"previous>cvx"`
		Current  string `xml:"current>cvx"`
		Begin    string `xml:"conflictBeginInterval"`
		MinEnd   string `xml:"minConflictEndInterval"`
	} `xml:"liveVirusConflicts>liveVirusConflict"`
}

type conflict struct{ begin, end Span }

var support struct {
	once      sync.Once
	err       error
	groups    map[string][]string // CVX -> vaccine group names
	conflicts map[[2]string]conflict
}

func loadSupport() {
	var d cdsiData
	if err := xml.Unmarshal(supportingData, &d); err != nil {
		support.err = fmt.Errorf("forecast: reading the CDSi supporting data: %w", err)
		return
	}
	groupOf := map[string][]string{} // antigen -> groups
	for _, g := range d.VaccineGroups {
		for _, a := range g.Antigens {
			groupOf[a] = append(groupOf[a], g.Name)
		}
	}
	support.groups = map[string][]string{}
	for _, m := range d.CVXMap {
		seen := map[string]bool{}
		for _, a := range m.Antigens {
			for _, g := range groupOf[a] {
				if !seen[g] {
					seen[g] = true
					support.groups[m.CVX] = append(support.groups[m.CVX], g)
				}
			}
		}
	}
	support.conflicts = map[[2]string]conflict{}
	for _, c := range d.LiveConflicts {
		begin, err1 := parseSpan(c.Begin)
		end, err2 := parseSpan(c.MinEnd)
		if err1 != nil || err2 != nil {
			support.err = fmt.Errorf("forecast: live-virus conflict %s after %s: %v %v", c.Current, c.Previous, err1, err2)
			return
		}
		support.conflicts[[2]string{c.Previous, c.Current}] = conflict{begin, end}
	}
}

// groupsOf returns the CDSi vaccine groups a CVX code counts toward.
func groupsOf(cvx string) []string {
	support.once.Do(loadSupport)
	return support.groups[hl7.NormCVX(cvx)]
}

// liveConflict reports whether a dose of cur given on day was given too
// soon after a dose of prev given on prevDay (CDSi live-virus conflicts).
func liveConflict(prev string, prevDay time.Time, cur string, day time.Time) bool {
	support.once.Do(loadSupport)
	c, ok := support.conflicts[[2]string{hl7.NormCVX(prev), hl7.NormCVX(cur)}]
	if !ok {
		return false
	}
	return !day.Before(c.begin.From(prevDay)) && day.Before(c.end.From(prevDay))
}

// Span is a length of time as the ACIP schedule states it: years, months,
// weeks and days.
type Span struct{ Years, Months, Weeks, Days int }

// From returns t plus the span, the CDSi way: years and months first, and
// a day that does not exist in the resulting month (31 April) becomes the
// first of the next month; then weeks and days.
func (s Span) From(t time.Time) time.Time {
	y, m, d := t.Date()
	total := int(m) - 1 + s.Months + 12*(y+s.Years)
	y, m = total/12, time.Month(total%12+1)
	if last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(); d > last {
		d, m = 1, m+1
	}
	return time.Date(y, m, d+7*s.Weeks+s.Days, 0, 0, 0, 0, time.UTC)
}

// IsZero reports whether the span is empty (no such limit).
func (s Span) IsZero() bool { return s == Span{} }

func (s Span) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		unit string
	}{{s.Years, "year"}, {s.Months, "month"}, {s.Weeks, "week"}, {s.Days, "day"}} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.unit)
		case p.n != 0:
			parts = append(parts, strconv.Itoa(p.n)+" "+p.unit+"s")
		}
	}
	if len(parts) == 0 {
		return "0 days"
	}
	return strings.Join(parts, " ")
}

// parseSpan reads CDSi intervals such as "24 days", "6 months" or
// "4 weeks - 4 days".
func parseSpan(s string) (Span, error) {
	var sp Span
	f := strings.Fields(s)
	sign := 1
	for i := 0; i < len(f); i++ {
		if f[i] == "-" || f[i] == "+" {
			sign = map[bool]int{true: -1, false: 1}[f[i] == "-"]
			continue
		}
		n, err := strconv.Atoi(f[i])
		if err != nil || i+1 >= len(f) {
			return sp, fmt.Errorf("interval %q: want a number and a unit", s)
		}
		i++
		switch strings.TrimSuffix(strings.ToLower(f[i]), "s") {
		case "year":
			sp.Years += sign * n
		case "month":
			sp.Months += sign * n
		case "week":
			sp.Weeks += sign * n
		case "day":
			sp.Days += sign * n
		default:
			return sp, fmt.Errorf("interval %q: unknown unit %q", s, f[i])
		}
	}
	return sp, nil
}
