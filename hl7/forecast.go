package hl7

import (
	"cmp"
	"slices"
	"strings"
)

// The forecast as a nurse reads it. Registries (WebIZ, CT WiZ's, among
// them) send several entries per vaccine group: the next dose, often
// overdue, and the projected later ones, with no dose numbers, and
// projections that only begin in adulthood (Zoster at 50, pneumococcal at
// 65). Shown as sent, one group reads both OVERDUE and upcoming. The
// screen, `query` and the paper all show the view built here: one row per
// group with its most urgent entry and the later ones as "then" dates,
// the groups with nothing to give on one line, and the adult entries
// counted but left out. The JSON keeps every entry as sent, with its
// place in this view (Forecast.Order, Forecast.AdultOnly).

// AdultAge is the age at which the CDC's adult schedule begins: an entry
// that begins at this age or later is not for a student.
const AdultAge = 19

// Urgency ranks a forecast status, most urgent lowest: overdue, due now,
// on schedule, any other registry text, contraindicated, not recommended,
// too old, immune, complete. That is the order a nurse acts on them: what
// to give now, then what comes later, then a registry's own words (which
// may need reading), then why nothing is to be given.
func Urgency(status string) int {
	switch status {
	case StatusOverdue:
		return 0
	case StatusDue:
		return 1
	case StatusOnSchedule:
		return 2
	case StatusContraindicated:
		return 4
	case StatusNotRecommended:
		return 5
	case StatusTooOld:
		return 6
	case StatusImmune:
		return 7
	case StatusComplete:
		return 8
	}
	return 3
}

// DoneStatuses are the statuses that mean no dose is to be given, in the
// order the view lists them.
var DoneStatuses = []string{StatusComplete, StatusImmune, StatusTooOld}

// GroupLabel names the vaccine group of a forecast entry: the registry's
// group, else the CDC group of its CVX, else the vaccine, else the code.
func (f Forecast) GroupLabel() string {
	if f.Group != "" {
		return f.Group // as decoded entries have: no table to look up
	}
	return cmp.Or(GroupName(f.CVX), f.Vaccine, f.CVX)
}

// ForecastView is a forecast laid out for a nurse.
type ForecastView struct {
	// Rows are the groups with a dose to give or a status to read, most
	// urgent first, then by group name.
	Rows []ForecastRow
	// Done are the groups with nothing to give, one list per status of
	// DoneStatuses that occurs, in that order.
	Done []DoneGroups
	// Adult are the entries left out because they begin at adult age, in
	// the registry's order.
	Adult []AdultEntry
}

// ForecastRow is one vaccine group: its most urgent entry and the later
// ones, in the order of Forecast.Order.
type ForecastRow struct {
	Group string
	Next  Forecast
	Then  []Forecast
}

// DoneGroups are the groups whose only entries say no dose is to be given
// for one reason (Status, one of DoneStatuses).
type DoneGroups struct {
	Status string
	Groups []string // by name
}

// AdultEntry is an entry left out of a student's forecast, and the age
// in whole years at which it begins.
type AdultEntry struct {
	Group string
	Age   int
	Entry Forecast
}

// ViewForecast lays out a forecast for the patient born on birthDate
// (ISO; without one, no entry is taken for an adult one). fc is not
// changed.
func ViewForecast(fc []Forecast, birthDate string) ForecastView {
	groups, adult := arrangeForecast(fc, birthDate)
	var v ForecastView
	done := map[string][]string{}
	for _, g := range groups {
		row := ForecastRow{Group: fc[g[0]].GroupLabel(), Next: fc[g[0]]}
		for _, i := range g[1:] {
			row.Then = append(row.Then, fc[i])
		}
		if len(row.Then) == 0 && slices.Contains(DoneStatuses, row.Next.Status) {
			done[row.Next.Status] = append(done[row.Next.Status], row.Group)
			continue
		}
		v.Rows = append(v.Rows, row)
	}
	for _, s := range DoneStatuses {
		if len(done[s]) > 0 {
			v.Done = append(v.Done, DoneGroups{Status: s, Groups: done[s]})
		}
	}
	birth, _ := dateKey(birthDate)
	for _, i := range adult {
		// An adult entry has both dates (arrangeForecast): the difference
		// of YYYYMMDD numbers in ten thousands is the age in whole years.
		start, _ := dateKey(startDate(fc[i]))
		v.Adult = append(v.Adult, AdultEntry{Group: fc[i].GroupLabel(), Age: (start - birth) / 10000, Entry: fc[i]})
	}
	return v
}

// annotateForecast gives each entry of a decoded record its place in the
// view: Order within its group, or AdultOnly.
func annotateForecast(r *Response) {
	if len(r.Forecast) == 0 {
		return
	}
	birth := ""
	if len(r.Patients) == 1 {
		birth = r.Patients[0].BirthDate
	}
	groups, adult := arrangeForecast(r.Forecast, birth)
	for _, g := range groups {
		for n, i := range g {
			r.Forecast[i].Order = n + 1
		}
	}
	for _, i := range adult {
		r.Forecast[i].AdultOnly = true
	}
}

// arrangeForecast is the one place the view is decided: the indices of
// fc grouped by vaccine group, each group most urgent entry first, the
// groups most urgent first then by name; and apart, the entries that
// begin at adult age.
func arrangeForecast(fc []Forecast, birthDate string) (groups [][]int, adult []int) {
	adultFrom := -1 // the first adult day as dateKey gives it; -1 without a birth date
	if birth, ok := dateKey(birthDate); ok {
		adultFrom = addYears(birth, AdultAge)
	}
	// Few allocations: decoding annotates every reply. gid is each
	// entry's group (-1 adult), labels each group's name.
	gid := make([]int, len(fc))
	var labels []string
	for i, f := range fc {
		gid[i] = -1
		if adultFrom >= 0 && f.Status != StatusOverdue && f.Status != StatusDue {
			// What is overdue or due now is shown, whatever the age.
			if start, ok := dateKey(startDate(f)); ok && start >= adultFrom {
				adult = append(adult, i)
				continue
			}
		}
		label := f.GroupLabel()
		g := slices.IndexFunc(labels, func(l string) bool { return strings.EqualFold(l, label) })
		if g < 0 {
			g = len(labels)
			labels = append(labels, label)
		}
		gid[i] = g
	}
	groups = make([][]int, len(labels))
	flat := make([]int, 0, len(fc))
	for g := range labels {
		start := len(flat)
		for i := range fc {
			if gid[i] == g {
				flat = append(flat, i)
			}
		}
		groups[g] = flat[start:len(flat):len(flat)]
	}
	for _, g := range groups {
		slices.SortStableFunc(g, func(a, b int) int {
			return cmp.Or(cmp.Compare(Urgency(fc[a].Status), Urgency(fc[b].Status)), compareDates(sortDate(fc[a]), sortDate(fc[b])))
		})
	}
	slices.SortStableFunc(groups, func(a, b []int) int {
		fa, fb := fc[a[0]], fc[b[0]]
		return cmp.Or(cmp.Compare(Urgency(fa.Status), Urgency(fb.Status)),
			compareFold(fa.GroupLabel(), fb.GroupLabel()))
	})
	return groups, adult
}

// compareFold compares names regardless of case (HepA, HepB, HPV), then
// as written, without allocating.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
	}
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

// startDate is when an entry begins: the earliest date it may be given,
// else its due date.
func startDate(f Forecast) string { return cmp.Or(f.Earliest, f.Due) }

// sortDate orders the entries of a group: by due date, else the earliest,
// overdue or latest date.
func sortDate(f Forecast) string { return cmp.Or(f.Due, f.Earliest, f.Overdue, f.Latest) }

// compareDates compares ISO dates, an entry without one last.
func compareDates(a, b string) int {
	if (a == "") != (b == "") {
		if a == "" {
			return 1
		}
		return -1
	}
	return strings.Compare(a, b)
}

// dateKey reads an ISO date (YYYY-MM-DD) as the number YYYYMMDD, which
// orders dates as time does; ok is false where time.Parse(time.DateOnly)
// would fail. Decoding compares every forecast entry's date, and
// time.Parse costs an allocation for each date it refuses.
func dateKey(v string) (key int, ok bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if i == 4 || i == 7 {
			continue
		}
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		key = key*10 + int(v[i]-'0')
	}
	y, m, d := key/10000, key/100%100, key%100
	if m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return 0, false
	}
	return key, true
}

// addYears is the date key years after key, as time.AddDate gives it: a
// 29 February becomes 1 March in a year that has none.
func addYears(key, years int) int {
	y, md := key/10000+years, key%10000
	if md == 229 && daysIn(2, y) == 28 {
		md = 301
	}
	return y*10000 + md
}

// daysIn is the number of days in month m of year y.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
