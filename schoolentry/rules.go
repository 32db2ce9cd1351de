package schoolentry

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdsi"
)

// ruleFiles holds one file of rules per school year, named for its
// version ("ct-2026-27.json"); see doc.go.
//
//go:embed rules/*.json
var ruleFiles embed.FS

// ruleSet is one school year's rules as its file states them.
type ruleSet struct {
	Version    string              `json:"version"`
	SchoolYear string              `json:"schoolYear"`
	Source     string              `json:"source"`
	Schedules  map[string]schedule `json:"schedules"` // by CDSi vaccine group
	Rules      []rule              `json:"requirements"`
	Documents  map[string]document `json:"documents"`
}

// schedule is the ACIP minimum age and interval of each dose of a vaccine
// group, used for the doses the registry did not evaluate; the last entry
// serves for any later dose.
type schedule struct {
	Doses []doseMin `json:"doses"`
	// Live is the CVX of the group's live vaccine (MMR "03"), whose CDSi
	// conflicts with doses already given delay the next dose.
	Live   string `json:"live"`
	Source string `json:"source"`
}

type doseMin struct {
	Age       cdsi.Span `json:"age"`       // minimum age
	Interval  cdsi.Span `json:"interval"`  // from the previous valid dose
	FromFirst cdsi.Span `json:"fromFirst"` // from the first valid dose (HepB dose 3)
}

// rule is one requirement for a span of grades.
type rule struct {
	Vaccine  string     `json:"vaccine"` // the requirement's name, e.g. "MMR"
	Grades   gradeRange `json:"grades"`
	Group    string     `json:"group"` // the CDSi vaccine group whose doses count
	AgeFrom  cdsi.Span  `json:"ageFrom"`
	AgeUnder cdsi.Span  `json:"ageUnder"` // applies only below this age on the check date
	BornFrom string     `json:"bornFrom"` // applies only to students born on or after (YYYY-MM-DD)
	Window   *window    `json:"window"`   // only doses in this part of the school year count
	variant
	Alternatives []alternative `json:"alternatives"`
}

// variant is what a rule asks: how many doses, of which vaccines, when.
type variant struct {
	Doses          int       `json:"doses"`
	CVX            []string  `json:"cvx"`      // only these vaccines count (Tdap: 115); all of the group when empty
	FirstAge       cdsi.Span `json:"firstAge"` // the first counted dose on or after this age
	LastAge        cdsi.Span `json:"lastAge"`  // the last counted dose on or after this age
	Interval       cdsi.Span `json:"interval"` // between counted doses
	StrictInterval bool      `json:"strictInterval"`
	// NextInterval, when longer than Interval, is the interval offered for
	// the next dose (varicella under 13: 3 months recommended, 4 weeks valid).
	NextInterval cdsi.Span `json:"nextInterval"`
	Needed       string    `json:"needed"`
	Source       string    `json:"source"`
}

// alternative replaces a rule's variant when its condition holds.
type alternative struct {
	FirstDoseFrom cdsi.Span `json:"firstDoseFrom"` // the group's first valid dose at this age or later
	FirstSeason   bool      `json:"firstSeason"`   // no valid dose of the group before the window
	variant
}

// window is a part of the school year, as month-day "08-01" to "12-31".
type window struct {
	From monthDay `json:"from"`
	To   monthDay `json:"to"`
}

type monthDay struct {
	Month time.Month
	Day   int
}

func (m *monthDay) UnmarshalText(b []byte) error {
	t, err := time.Parse("01-02", string(b))
	if err != nil {
		return fmt.Errorf("month-day %q: want MM-DD", b)
	}
	*m = monthDay{t.Month(), t.Day()}
	return nil
}

// in returns the date of m in the school year that starts on start.
func (m monthDay) in(start time.Time) time.Time {
	y := start.Year()
	if m.Month < time.August {
		y++
	}
	return time.Date(y, m.Month, m.Day, 0, 0, 0, 0, time.UTC)
}

// document is a paper a nurse may hold that can satisfy requirements.
type document struct {
	Vaccines []string   `json:"vaccines"` // the requirements it can satisfy; all when empty
	Grades   gradeRange `json:"grades"`
	Source   string     `json:"source"`
}

var loaded struct {
	once sync.Once
	sets map[string]*ruleSet // by school year
	err  error
}

func loadRules() {
	loaded.sets = map[string]*ruleSet{}
	names, err := fs.Glob(ruleFiles, "rules/*.json")
	if err != nil {
		loaded.err = err
		return
	}
	for _, name := range names {
		b, err := ruleFiles.ReadFile(name)
		if err != nil {
			loaded.err = err
			return
		}
		var rs ruleSet
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rs); err != nil {
			loaded.err = fmt.Errorf("schoolentry: %s: %w", name, err)
			return
		}
		if err := rs.validate(); err != nil {
			loaded.err = fmt.Errorf("schoolentry: %s: %w", name, err)
			return
		}
		loaded.sets[rs.SchoolYear] = &rs
	}
}

// validate catches the mistakes a new year's file could carry.
func (rs *ruleSet) validate() error {
	if rs.Version == "" || rs.SchoolYear == "" || rs.Source == "" {
		return fmt.Errorf("version, schoolYear and source are required")
	}
	for i, r := range rs.Rules {
		if r.Vaccine == "" || r.Needed == "" || r.Source == "" || r.Doses < 1 {
			return fmt.Errorf("requirement %d (%s): vaccine, needed, source and doses are required", i+1, r.Vaccine)
		}
		if len(rs.Schedules[r.Group].Doses) == 0 {
			return fmt.Errorf("requirement %d (%s): no schedule for the vaccine group %q", i+1, r.Vaccine, r.Group)
		}
		if r.BornFrom != "" {
			if _, err := time.Parse(time.DateOnly, r.BornFrom); err != nil {
				return fmt.Errorf("requirement %d (%s): bornFrom: %w", i+1, r.Vaccine, err)
			}
		}
		for _, a := range r.Alternatives {
			if a.Needed == "" || a.Source == "" || a.Doses < 1 {
				return fmt.Errorf("requirement %d (%s): an alternative needs needed, source and doses", i+1, r.Vaccine)
			}
		}
	}
	return nil
}

// rulesFor returns the rules of the school year day falls in.
func rulesFor(day time.Time) (*ruleSet, error) {
	loaded.once.Do(loadRules)
	if loaded.err != nil {
		return nil, loaded.err
	}
	year := SchoolYear(day)
	rs, ok := loaded.sets[year]
	if !ok {
		return nil, fmt.Errorf("no Connecticut school-entry rules for the %s school year in this version of ctwiz-nurse (it has %s): update ctwiz-nurse", year, strings.Join(SchoolYears(), ", "))
	}
	return rs, nil
}

// SchoolYears lists the school years the built-in rules cover, oldest
// first.
func SchoolYears() []string {
	loaded.once.Do(loadRules)
	years := make([]string, 0, len(loaded.sets))
	for y := range loaded.sets {
		years = append(years, y)
	}
	sort.Strings(years)
	return years
}
