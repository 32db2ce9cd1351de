package forecast

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdsi"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// grace moves a minimum date back by the ACIP/CDSi 4-day grace period.
func grace(t time.Time) time.Time { return t.AddDate(0, 0, -cdsi.GracePeriod.Days) }

// Dose is one vaccination as the registry holds it.
type Dose struct {
	Date time.Time
	CVX  string
	// Status is RXA-20: "" or CP counts; PA (partial) is evaluated and not
	// valid; RE (refused) and NA (not administered) are not doses.
	Status string
}

// Verdict is the evaluation of one dose for one vaccine group.
type Verdict struct {
	Group    string // CDSi vaccine group, e.g. "MMR"
	GroupCVX string
	Valid    bool
	Dose     int // dose number in the series when valid and counted; 0 otherwise
	Reason   string
}

// Forecast is the recommendation for one vaccine group as of a day.
type Forecast struct {
	Group     string
	GroupCVX  string
	Recommend string // CVX of the vaccine offered for the next dose
	Status    string // hl7.Status* (complete, on schedule, due, overdue, too old)
	Dose      int    // the next dose's number; 0 when complete or too old
	Earliest  time.Time
	Due       time.Time
	Overdue   time.Time // zero when the schedule sets none
	Latest    time.Time // zero when there is no maximum age
	Reason    string
}

func (f Forecast) String() string {
	s := f.Group + ": " + f.Status
	if f.Dose > 0 {
		s += " dose " + strconv.Itoa(f.Dose)
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"earliest", f.Earliest}, {"due", f.Due}, {"overdue", f.Overdue}, {"latest", f.Latest}} {
		if !d.t.IsZero() {
			s += " " + d.name + " " + d.t.Format(time.DateOnly)
		}
	}
	return s
}

// Result is the evaluation of every dose (Verdicts[i] for doses[i], one
// per vaccine group the vaccine counts toward) and the forecast of every
// group of the schedule.
type Result struct {
	Verdicts  [][]Verdict
	Forecasts []Forecast
}

// Evaluate evaluates a patient's doses against the sandbox schedule and
// forecasts the next dose of each vaccine group as of today. Dates are
// calendar days; the time of day is ignored.
func Evaluate(birth time.Time, doses []Dose, today time.Time) (Result, error) {
	if err := cdsi.Load(); err != nil {
		return Result{}, err
	}
	birth, today = day(birth), day(today)
	res := Result{Verdicts: make([][]Verdict, len(doses))}
	order := make([]int, 0, len(doses))
	for i, d := range doses {
		if d.Status == "RE" || d.Status == "NA" || d.Date.IsZero() {
			continue
		}
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int { return doses[a].Date.Compare(doses[b].Date) })

	conflicts := liveConflicts(doses, order)
	for _, s := range schedule {
		f := s.run(birth, doses, order, conflicts, today, res.Verdicts)
		res.Forecasts = append(res.Forecasts, f)
	}
	res.Forecasts = append(res.Forecasts, flu(birth, doses, order, conflicts, today, res.Verdicts))
	return res, nil
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// liveConflicts marks the doses given too soon after another live vaccine
// (CDSi live-virus conflicts; the earlier dose keeps its validity).
func liveConflicts(doses []Dose, order []int) map[int]bool {
	out := map[int]bool{}
	for j, cur := range order {
		for _, prev := range order[:j] {
			p, c := doses[prev], doses[cur]
			if p.Status == "PA" {
				continue
			}
			if liveConflict(p.CVX, day(p.Date), c.CVX, day(c.Date)) {
				out[cur] = true
			}
		}
	}
	return out
}

func (s series) run(birth time.Time, doses []Dose, order []int, conflicts map[int]bool, today time.Time, verdicts [][]Verdict) Forecast {
	var valid []given
	n := 0
	// next moves past the doses the skip rules make unnecessary as of at.
	next := func(at time.Time) {
		for n < len(s.doses) && s.doses[n].skip != nil && s.doses[n].skip(birth, at, valid) {
			n++
		}
	}
	for _, i := range order {
		d := doses[i]
		if !inGroup(d.CVX, s.group) {
			continue
		}
		date := day(d.Date)
		next(date)
		v := Verdict{Group: s.group, GroupCVX: s.cvx}
		if n >= len(s.doses) {
			v.Valid, v.Reason = true, "Extra dose: the series was already complete"
			verdicts[i] = append(verdicts[i], v)
			continue
		}
		v.Reason = s.check(s.doses[n], birth, valid, d, date, conflicts[i])
		if v.Reason == "" {
			valid = append(valid, given{date, hl7.NormCVX(d.CVX)})
			v.Valid, v.Dose = true, len(valid)
			n++
		}
		verdicts[i] = append(verdicts[i], v)
	}
	next(today)
	f := Forecast{Group: s.group, GroupCVX: s.cvx}
	if n >= len(s.doses) {
		f.Status, f.Reason = hl7.StatusComplete, "Series complete"
		return f
	}
	t := s.doses[n]
	// Doses are numbered as counted (the third Hib dose is dose 3 even when
	// the schedule's third 4-week dose was skipped).
	f.Dose, f.Recommend = len(valid)+1, t.recommend
	if s.from7 != "" && !today.Before(years(7).From(birth)) {
		f.Recommend = s.from7
	}
	f.Earliest = t.minAge.From(birth)
	f.Due = t.dueAge.From(birth)
	if !t.overdueAge.IsZero() {
		f.Overdue = t.overdueAge.From(birth)
	}
	minInt, dueInt, overdueInt := t.minInt, t.dueInt, t.overdueInt
	if t.hpv2 && len(valid) > 0 && valid[0].date.Before(years(15).From(birth)) {
		minInt, dueInt, overdueInt = months(5), months(6), months(12)
	}
	if !t.earliestInt.IsZero() && len(valid) > 0 && (t.earliestUntil.IsZero() || valid[0].date.Before(t.earliestUntil.From(birth))) {
		minInt = t.earliestInt
	}
	if len(valid) > 0 {
		last := valid[len(valid)-1].date
		f.Earliest = later(f.Earliest, minInt.From(last))
		if !t.minIntFirst.IsZero() {
			f.Earliest = later(f.Earliest, t.minIntFirst.From(valid[0].date))
		}
		if !dueInt.IsZero() {
			f.Due = later(f.Due, dueInt.From(last))
		}
		if !overdueInt.IsZero() {
			f.Overdue = later(f.Overdue, overdueInt.From(last))
		}
	}
	f.Due = later(f.Due, f.Earliest)
	if !f.Overdue.IsZero() {
		f.Overdue = later(f.Overdue, f.Due)
	}
	for _, max := range []Span{t.maxAge, s.maxAge} {
		if !max.IsZero() {
			latest := max.From(birth).AddDate(0, 0, -1)
			if f.Latest.IsZero() || latest.Before(f.Latest) {
				f.Latest = latest
			}
		}
	}
	switch {
	case !f.Latest.IsZero() && (today.After(f.Latest) || f.Earliest.After(f.Latest)):
		f = Forecast{Group: s.group, GroupCVX: s.cvx, Status: hl7.StatusTooOld,
			Reason: "Past the maximum age for this vaccine: not recommended"}
	case !f.Overdue.IsZero() && !today.Before(f.Overdue):
		f.Status = hl7.StatusOverdue
	case !today.Before(f.Due):
		f.Status = hl7.StatusDue
	default:
		f.Status = hl7.StatusOnSchedule
	}
	return f
}

// check returns why a dose cannot count as target t, or "" when it counts.
func (s series) check(t target, birth time.Time, valid []given, d Dose, date time.Time, conflict bool) string {
	cvx := hl7.NormCVX(d.CVX)
	age := func(a Span) time.Time { return a.From(birth) }
	switch {
	case d.Status == "PA":
		return "Partial dose: does not count"
	case pediatricDTaP[cvx] && !date.Before(age(years(7))):
		return "DTaP given on or after the 7th birthday: not valid (Td or Tdap is used from 7 years)"
	case tdOrTdap[cvx] && date.Before(grace(age(years(7)))):
		return "Td/Tdap given before the 7th birthday: not valid"
	case len(t.onlyCVX) > 0 && !slices.Contains(t.onlyCVX, cvx):
		return fmt.Sprintf("Only %s counts for this dose", hl7.VaccineName(t.onlyCVX[0]))
	case date.Before(grace(age(t.minAge))):
		return fmt.Sprintf("Too young: given before the minimum age of %s", t.minAge)
	case !t.maxAge.IsZero() && !date.Before(age(t.maxAge)):
		return fmt.Sprintf("Too old: given on or after the maximum age of %s", t.maxAge)
	case !s.maxAge.IsZero() && !date.Before(age(s.maxAge)):
		return fmt.Sprintf("Too old: given on or after the maximum age of %s", s.maxAge)
	case len(valid) > 0 && date.Before(grace(t.minInt.From(valid[len(valid)-1].date))):
		return fmt.Sprintf("Too soon: less than %s after the previous valid dose", t.minInt)
	case len(valid) > 0 && !t.minIntFirst.IsZero() && date.Before(grace(t.minIntFirst.From(valid[0].date))):
		return fmt.Sprintf("Too soon: less than %s after the first dose", t.minIntFirst)
	case conflict:
		return "Live vaccine given too soon (under 28 days) after another live vaccine"
	}
	return ""
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// laiv are the live attenuated (nasal) influenza vaccines: from 2 years
// of age, and live (CDSi conflicts with other live vaccines apply).
var laiv = map[string]bool{"111": true, "149": true}

// flu forecasts influenza for the current season (1 August to 30 June):
// one dose a season from 6 months of age; two doses 4 weeks apart for a
// child under 9 years (at the season's first dose) who had fewer than two
// doses before 1 July.
func flu(birth time.Time, doses []Dose, order []int, conflicts map[int]bool, today time.Time, verdicts [][]Verdict) Forecast {
	// A season is named by the 1 August it starts on; July, between
	// seasons, belongs to the coming one, for doses as for today.
	seasonOf := func(t time.Time) time.Time {
		y := t.Year()
		if t.Month() < time.July {
			y--
		}
		return time.Date(y, time.August, 1, 0, 0, 0, 0, time.UTC)
	}
	minAge := months(6)
	var valid []time.Time
	perSeason := map[time.Time]int{}
	for _, i := range order {
		d := doses[i]
		if !inGroup(d.CVX, fluGroup) {
			continue
		}
		date := day(d.Date)
		v := Verdict{Group: fluGroup, GroupCVX: fluCVX}
		switch {
		case d.Status == "PA":
			v.Reason = "Partial dose: does not count"
		case date.Before(grace(minAge.From(birth))):
			v.Reason = "Too young: given before the minimum age of 6 months"
		case laiv[hl7.NormCVX(d.CVX)] && date.Before(grace(years(2).From(birth))):
			v.Reason = "Too young: the nasal (live) influenza vaccine is given from 2 years"
		case len(valid) > 0 && date.Before(grace(weeks(4).From(valid[len(valid)-1]))):
			v.Reason = "Too soon: less than 4 weeks after the previous dose"
		case conflicts[i]:
			v.Reason = "Live vaccine given too soon (under 28 days) after another live vaccine"
		default:
			valid = append(valid, date)
			perSeason[seasonOf(date)]++
			v.Valid, v.Dose = true, perSeason[seasonOf(date)]
		}
		verdicts[i] = append(verdicts[i], v)
	}
	f := Forecast{Group: fluGroup, GroupCVX: fluCVX, Recommend: "140"}
	season := seasonOf(today)
	before := 0
	for _, v := range valid {
		if v.Before(season.AddDate(0, -1, 0)) {
			before++
		}
	}
	// The child's age at the season's first dose decides, so a child who
	// turns 9 between the two doses still gets the second.
	ref := today
	for _, v := range valid {
		if seasonOf(v).Equal(season) {
			ref = v
			break
		}
	}
	needed := 1
	if ref.Before(years(9).From(birth)) && before < 2 {
		needed = 2
	}
	got := perSeason[season]
	if got >= needed {
		next := season.AddDate(1, 0, 0)
		f.Status, f.Dose = hl7.StatusOnSchedule, 1
		f.Earliest, f.Due = next, next
		f.Reason = "Vaccinated this season; next dose next season"
		return f
	}
	f.Dose = got + 1
	f.Earliest = later(season, minAge.From(birth))
	if len(valid) > 0 {
		f.Earliest = later(f.Earliest, weeks(4).From(valid[len(valid)-1]))
	}
	f.Due = f.Earliest
	if f.Earliest.After(today) {
		f.Status = hl7.StatusOnSchedule
	} else {
		f.Status = hl7.StatusDue
	}
	if needed == 2 {
		f.Reason = "Two doses 4 weeks apart this season (under 9, fewer than 2 doses before)"
	}
	return f
}
