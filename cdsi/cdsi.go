package cdsi

import (
	_ "embed"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// supportingData is the CDC CDSi 4.64 supporting data.
//
//go:embed cdsi-4.64-ScheduleSupportingData.xml
var supportingData []byte

type xmlData struct {
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

// Conflict is a CDSi live-virus conflict: a dose of the current vaccine
// given from Begin after a dose of the previous one and before End is not
// valid. End is CDSi's minimum conflict end: 28 days between different live
// vaccines, 24 (28 less the grace period) between doses of the same one.
type Conflict struct{ Begin, End Span }

var data struct {
	once      sync.Once
	err       error
	groups    map[string][]string // CVX -> vaccine group names
	conflicts map[[2]string]Conflict
	live      map[string]bool // CVX codes that can be in conflict
}

// Load reads the built-in supporting data once; later calls return the
// same result. Groups and LiveConflict call it; callers that must not run
// on broken data check its error first.
func Load() error {
	data.once.Do(load)
	return data.err
}

func load() {
	var d xmlData
	if err := xml.Unmarshal(supportingData, &d); err != nil {
		data.err = fmt.Errorf("cdsi: reading the supporting data: %w", err)
		return
	}
	groupOf := map[string][]string{} // antigen -> groups
	for _, g := range d.VaccineGroups {
		for _, a := range g.Antigens {
			groupOf[a] = append(groupOf[a], g.Name)
		}
	}
	data.groups = map[string][]string{}
	for _, m := range d.CVXMap {
		seen := map[string]bool{}
		for _, a := range m.Antigens {
			for _, g := range groupOf[a] {
				if !seen[g] {
					seen[g] = true
					data.groups[m.CVX] = append(data.groups[m.CVX], g)
				}
			}
		}
	}
	data.conflicts = map[[2]string]Conflict{}
	data.live = map[string]bool{}
	for _, c := range d.LiveConflicts {
		var spans [2]Span
		for i, s := range []string{c.Begin, c.MinEnd} {
			sp, err := ParseSpan(s)
			if err != nil {
				data.err = fmt.Errorf("cdsi: live-virus conflict %s after %s: %w", c.Current, c.Previous, err)
				return
			}
			spans[i] = sp
		}
		data.conflicts[[2]string{c.Previous, c.Current}] = Conflict{spans[0], spans[1]}
		data.live[c.Previous], data.live[c.Current] = true, true
	}
}

// Groups returns the CDSi vaccine groups ("DTaP/Tdap/Td", "MMR",
// "Varicella"...) a CVX code counts toward: several for a combination
// vaccine, none for an unknown code. cvx must be in the CDC form ("03").
func Groups(cvx string) []string {
	if Load() != nil {
		return nil
	}
	return data.groups[cvx]
}

// LiveConflict returns the conflict between a dose of prev and a later
// dose of cur (CVX codes in the CDC form), if the two are live vaccines
// that conflict.
func LiveConflict(prev, cur string) (Conflict, bool) {
	if Load() != nil {
		return Conflict{}, false
	}
	c, ok := data.conflicts[[2]string{prev, cur}]
	return c, ok
}

// Live reports whether a CVX code is a live vaccine that can conflict with
// another (it appears in a CDSi live-virus conflict).
func Live(cvx string) bool {
	return Load() == nil && data.live[cvx]
}

// GracePeriod is the ACIP/CDSi 4-day grace period: a dose given up to 4
// days before a minimum age or interval still counts.
var GracePeriod = Span{Days: 4}

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

// ParseSpan reads CDSi intervals such as "24 days", "6 months" or
// "4 weeks - 4 days".
func ParseSpan(s string) (Span, error) {
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

// UnmarshalText reads a Span written as ParseSpan reads it, so rule files
// can state spans in words.
func (s *Span) UnmarshalText(b []byte) error {
	sp, err := ParseSpan(string(b))
	*s = sp
	return err
}
