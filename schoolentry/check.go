package schoolentry

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdsi"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Overall statuses (Result.Status).
const (
	Compliant    = "compliant"
	InProcess    = "in_process" // may attend on a clinician's in-process certificate
	NotCompliant = "not_compliant"
)

// Requirement statuses (Requirement.Status); InProcess is shared.
const (
	Met     = "met"
	Missing = "missing"
)

// Documents a nurse may hold that the registry cannot know
// (Requirement.Documents).
const (
	LabImmunity        = "lab_immunity"        // laboratory-confirmed immunity
	VaricellaHistory   = "varicella_history"   // chickenpox history verified by a clinician
	MedicalExemption   = "medical_exemption"   // a physician's, APRN's or PA's certificate
	ReligiousExemption = "religious_exemption" // on file before 28 April 2021 (K-12 only)
)

// documentWords says what each document is, for a nurse.
var documentWords = map[string]string{
	LabImmunity:        "lab proof of immunity",
	VaricellaHistory:   "a clinician's verified chickenpox history",
	MedicalExemption:   "a medical exemption",
	ReligiousExemption: "a religious exemption on file before 28 April 2021",
}

// DocumentWords names a document key (LabImmunity...) in words.
func DocumentWords(key string) string { return documentWords[key] }

// Details is the requirement's message for a line or row that already
// shows its name and status: "1 dose of Tdap on or after the 7th birthday
// needed for grade 7; none recorded; ...", or for one met "for grade 7
// (2015-08-26, 2018-08-26)", so "MMR met for grade 7 (...)" reads as one
// sentence.
func (q *Requirement) Details() string {
	d := strings.TrimPrefix(q.Message, q.Vaccine+": ")
	if q.Status == Met {
		d = strings.TrimPrefix(d, "met ")
	}
	return d
}

// DocumentsSentence says which documents could satisfy the requirement,
// as the screen and the paper write it ("Could also be met by lab proof
// of immunity, or a medical exemption."); "" when none could.
func (q *Requirement) DocumentsSentence() string {
	if len(q.Documents) == 0 {
		return ""
	}
	words := make([]string, len(q.Documents))
	for i, k := range q.Documents {
		words[i] = DocumentWords(k)
	}
	return "Could also be met by " + strings.Join(words, ", or ") + "."
}

// Result is the school-entry check of one student for one grade. Its JSON
// form is the `compliance` object of `query --json`.
type Result struct {
	Grade        Grade         `json:"grade"`
	SchoolYear   string        `json:"schoolYear"`   // e.g. "2026-27" (1 August - 31 July)
	RulesVersion string        `json:"rulesVersion"` // e.g. "ct-2026-27"
	Status       string        `json:"status"`       // Compliant, InProcess or NotCompliant
	Requirements []Requirement `json:"requirements"`
}

// Requirement is one requirement that applies to the student's grade and
// age, and how her record meets it.
type Requirement struct {
	Vaccine  string   `json:"vaccine"`  // DTaP/Tdap/Td, Tdap, Polio, MMR, HepB, Varicella, Hib, Pneumococcal, HepA, Influenza, MenACWY
	Status   string   `json:"status"`   // Met, InProcess or Missing
	Needed   string   `json:"needed"`   // what the rule asks, in words
	Counted  []string `json:"counted"`  // ISO dates of the doses that count
	Earliest string   `json:"earliest"` // ISO date the next dose can be given, when in process
	Message  string   `json:"message"`  // what a nurse can say to a parent
	// Documents are the papers (LabImmunity, VaricellaHistory,
	// MedicalExemption, ReligiousExemption) that could satisfy the
	// requirement when it is not met; empty when it is met.
	Documents []string `json:"documents"`
	Source    string   `json:"source"` // where the rule comes from
}

// Label says what the check is, wherever it is shown.
func (r *Result) Label() string { return Label(r.SchoolYear) }

// Label is the label of a check for a school year ("2026-27"), where
// several checks are shown together (a roster's summary).
func Label(schoolYear string) string {
	return "checked by ctwiz-nurse against the CT DPH requirements for " + schoolYear + "; not an official determination"
}

// StatusWords is the overall status as the screen and the printout write
// it: COMPLIANT, IN PROCESS, NOT COMPLIANT.
func (r *Result) StatusWords() string { return StatusWords(r.Status) }

// StatusWords writes a status for a person: "met", or in capitals what
// needs attention (MISSING, IN PROCESS, NOT COMPLIANT; COMPLIANT too).
func StatusWords(status string) string {
	if status == Met {
		return status
	}
	return strings.ToUpper(strings.ReplaceAll(status, "_", " "))
}

// dose is one vaccination as the check reads it.
type dose struct {
	date   time.Time
	iso    string
	cvx    string
	groups []string
	evals  []hl7.Evaluation
	// live is set when the dose was given too soon after another live
	// vaccine (CDSi conflict); it matters only when the registry did not
	// evaluate the dose.
	live bool
	// skip says why the dose never counts (refused, not given, partial).
	skip string
}

// Check checks the student of a record (r.Outcome record) against the
// requirements for grade in the school year of asOf, on the day asOf.
func Check(r *hl7.Response, grade Grade, asOf time.Time) (*Result, error) {
	if grade.rank() < 0 {
		_, err := ParseGrade(string(grade))
		return nil, err
	}
	if r == nil || r.Outcome != hl7.OutcomeRecord || len(r.Patients) == 0 {
		return nil, errors.New("school entry: the reply is not one student's record")
	}
	birth, err := time.Parse(time.DateOnly, r.Patients[0].BirthDate)
	if err != nil {
		return nil, errors.New("school entry: the record has no usable birth date; check the student's record in CT WiZ")
	}
	if err := cdsi.Load(); err != nil {
		return nil, err
	}
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	rs, err := rulesFor(asOf)
	if err != nil {
		return nil, err
	}
	c := checker{birth: birth, asOf: asOf, grade: grade, rs: rs, resp: r, doses: doses(r.Immunizations)}
	res := &Result{Grade: grade, SchoolYear: rs.SchoolYear, RulesVersion: rs.Version, Status: Compliant, Requirements: []Requirement{}}
	for i := range rs.Rules {
		ru := &rs.Rules[i]
		if !c.applies(ru) {
			continue
		}
		req := c.check(ru)
		switch {
		case req.Status == Missing:
			res.Status = NotCompliant
		case req.Status == InProcess && res.Status == Compliant:
			res.Status = InProcess
		}
		res.Requirements = append(res.Requirements, req)
	}
	return res, nil
}

// doses reads the record's doses in date order and marks live-virus
// conflicts.
func doses(imms []hl7.Immunization) []dose {
	out := make([]dose, 0, len(imms))
	for _, im := range imms {
		t, err := time.Parse(time.DateOnly, im.Date)
		if err != nil {
			continue
		}
		cvx := hl7.NormCVX(im.CVX)
		d := dose{date: t, iso: im.Date, cvx: cvx, groups: cdsi.Groups(cvx), evals: im.Evaluations}
		switch im.Status {
		case "RE":
			d.skip = "refused"
		case "NA":
			d.skip = "not given"
		case "PA":
			d.skip = "a partial dose"
		}
		out = append(out, d)
	}
	slices.SortStableFunc(out, func(a, b dose) int { return a.date.Compare(b.date) })
	for j := range out {
		if out[j].skip != "" || !cdsi.Live(out[j].cvx) {
			continue
		}
		// Conflicts end within 28 days: look back only that far.
		for i := j - 1; i >= 0 && !out[i].date.Before(out[j].date.AddDate(0, 0, -28)); i-- {
			p := out[i]
			if p.skip != "" {
				continue
			}
			if cf, ok := cdsi.LiveConflict(p.cvx, out[j].cvx); ok && !out[j].date.Before(cf.Begin.From(p.date)) && out[j].date.Before(cf.End.From(p.date)) {
				out[j].live = true
			}
		}
	}
	return out
}

type checker struct {
	birth, asOf time.Time
	grade       Grade
	rs          *ruleSet
	resp        *hl7.Response
	doses       []dose
}

func (c *checker) age(s cdsi.Span) time.Time { return s.From(c.birth) }

func grace(t time.Time) time.Time { return t.AddDate(0, 0, -cdsi.GracePeriod.Days) }

func (c *checker) applies(ru *rule) bool {
	if !ru.Grades.has(c.grade) {
		return false
	}
	if !ru.AgeFrom.IsZero() && c.asOf.Before(c.age(ru.AgeFrom)) {
		return false
	}
	if !ru.AgeUnder.IsZero() && !c.asOf.Before(c.age(ru.AgeUnder)) {
		return false
	}
	return ru.BornFrom == "" || c.birth.Format(time.DateOnly) >= ru.BornFrom
}

// given is a dose valid for a vaccine group.
type given struct {
	date time.Time
	iso  string
	cvx  string
}

// valid returns the doses valid for a vaccine group, and for each dose of
// the group that is not, why.
func (c *checker) valid(group string) (valid []given, notes []string) {
	sched := c.rs.Schedules[group].Doses
	for _, d := range c.doses {
		if !slices.Contains(d.groups, group) {
			continue
		}
		if d.skip != "" {
			notes = append(notes, d.iso+" "+d.skip)
			continue
		}
		verdict := ""
		for _, e := range d.evals {
			if e.Group == group || hl7.GroupName(e.CVX) == group {
				verdict = e.Valid
				break
			}
		}
		switch verdict {
		case "Y":
			valid = append(valid, given{d.date, d.iso, d.cvx})
			continue
		case "N":
			notes = append(notes, d.iso+" not valid in the registry")
			continue
		}
		if why := c.unevaluated(d, sched, valid); why != "" {
			notes = append(notes, d.iso+" "+why)
			continue
		}
		valid = append(valid, given{d.date, d.iso, d.cvx})
	}
	return valid, notes
}

// unevaluated judges a dose the registry did not evaluate: "" when it
// counts, else why not.
func (c *checker) unevaluated(d dose, sched []doseMin, valid []given) string {
	m := sched[min(len(valid), len(sched)-1)]
	switch {
	case d.live:
		return "within 28 days of another live vaccine"
	case d.date.Before(grace(c.age(m.Age))):
		return "before the minimum age (" + m.Age.String() + ")"
	case len(valid) > 0 && d.date.Equal(valid[len(valid)-1].date):
		return "on the same day as another dose"
	case len(valid) > 0 && d.date.Before(grace(m.Interval.From(valid[len(valid)-1].date))):
		return "too soon after the previous dose (" + m.Interval.String() + " needed)"
	case len(valid) > 0 && d.date.Before(grace(m.FromFirst.From(valid[0].date))):
		return "too soon after the first dose (" + m.FromFirst.String() + " needed)"
	}
	return ""
}

// check applies one rule to the student's record.
func (c *checker) check(ru *rule) Requirement {
	valid, notes := c.valid(ru.Group)
	start := schoolYearStart(c.asOf)
	var winFrom, winTo time.Time
	if ru.Window != nil {
		winFrom, winTo = ru.Window.From.in(start), ru.Window.To.in(start)
	}
	v := c.variant(ru, valid, winFrom)

	// Select the doses that count, in order: the first on or after the
	// first age, each later one the rule's interval after the previous.
	var counted []given
	for _, g := range valid {
		switch {
		case len(v.CVX) > 0 && !slices.Contains(v.CVX, g.cvx):
			continue // another vaccine of the group (a DTaP for the Tdap rule)
		case ru.Window != nil && (g.date.Before(winFrom) || g.date.After(winTo)):
			if !g.date.Before(winFrom) {
				notes = append(notes, g.iso+" after "+dayMonth(winTo))
			}
			continue
		case len(counted) == 0 && g.date.Before(grace(c.age(v.FirstAge))):
			if !v.FirstAge.IsZero() {
				notes = append(notes, g.iso+" before the "+ageWords(v.FirstAge))
			}
			continue
		case len(counted) > 0 && g.date.Before(c.intervalEnd(v, counted[len(counted)-1].date)):
			notes = append(notes, g.iso+" only "+strconv.Itoa(days(counted[len(counted)-1].date, g.date))+" days after the previous dose")
			continue
		}
		counted = append(counted, g)
	}

	req := Requirement{Vaccine: ru.Vaccine, Needed: v.Needed, Counted: []string{}, Documents: []string{}, Source: v.Source}
	for _, g := range counted {
		req.Counted = append(req.Counted, g.iso)
	}
	lastOK := v.LastAge.IsZero() || (len(counted) > 0 && !counted[len(counted)-1].date.Before(grace(c.age(v.LastAge))))
	if len(counted) >= v.Doses && lastOK {
		req.Status = Met
		req.Message = fmt.Sprintf("%s: met for %s (%s)", ru.Vaccine, c.grade.Words(), strings.Join(req.Counted, ", "))
		return req
	}

	// Not met: when can the next dose be given?
	earliest := c.nextDose(ru, v, valid, counted)
	if ru.Window != nil {
		earliest = later(earliest, winFrom)
	}
	have := c.have(ru, v, counted, notes, lastOK)
	switch {
	case ru.Window != nil && !c.asOf.After(winTo) && !earliest.After(winTo):
		// The window is still open: not yet required.
		req.Status = InProcess
		earliest = later(earliest, c.asOf)
		req.Message = fmt.Sprintf("%s: %s needed for %s; %s; the next dose can be given from %s, and is due by %s", ru.Vaccine, v.Needed, c.grade.Words(), have, iso(earliest), dayMonth(winTo))
	case ru.Window != nil && earliest.After(winTo):
		req.Status = Missing
		req.Message = fmt.Sprintf("%s: %s needed for %s; %s; this school year's window (%s - %s) has passed", ru.Vaccine, v.Needed, c.grade.Words(), have, dayMonth(winFrom), dayMonth(winTo))
	case earliest.After(c.asOf):
		req.Status = InProcess
		req.Message = fmt.Sprintf("%s: %s needed for %s; %s; the next dose can be given from %s", ru.Vaccine, v.Needed, c.grade.Words(), have, iso(earliest))
	default:
		req.Status = Missing
		req.Message = fmt.Sprintf("%s: %s needed for %s; %s; the next dose can be given now", ru.Vaccine, v.Needed, c.grade.Words(), have)
	}
	if req.Status == InProcess {
		req.Earliest = iso(earliest)
	}
	req.Documents = c.rs.documents(c.grade, ru.Vaccine)
	return req
}

// variant picks the rule's alternative that applies, else the rule.
func (c *checker) variant(ru *rule, valid []given, winFrom time.Time) variant {
	for _, a := range ru.Alternatives {
		switch {
		case !a.FirstDoseFrom.IsZero() && len(valid) > 0 && !valid[0].date.Before(grace(c.age(a.FirstDoseFrom))):
			return a.variant
		case a.FirstSeason && (len(valid) == 0 || !valid[0].date.Before(winFrom)):
			return a.variant
		}
	}
	return ru.variant
}

// intervalEnd is the first day a dose counts after a counted dose on prev.
func (c *checker) intervalEnd(v variant, prev time.Time) time.Time {
	end := v.Interval.From(prev)
	if v.StrictInterval {
		return end
	}
	return grace(end)
}

// nextDose is the earliest date the next dose the rule needs can be
// given: the later of the schedule's minimum age and interval, the rule's
// ages and interval, and the end of any live-virus conflict with a dose
// already given. When that day is still ahead, the registry's own earliest
// date for the group may move it later; it never makes a dose that can be
// given now look in process (the registry's forecast follows ACIP, which
// may not ask for the dose Connecticut does).
func (c *checker) nextDose(ru *rule, v variant, valid, counted []given) time.Time {
	sc := c.rs.Schedules[ru.Group]
	m := sc.Doses[min(len(valid), len(sc.Doses)-1)]
	e := c.age(m.Age)
	if n := len(valid); n > 0 {
		e = later(e, m.Interval.From(valid[n-1].date))
		e = later(e, m.FromFirst.From(valid[0].date))
	}
	if len(counted) == 0 {
		e = later(e, c.age(v.FirstAge))
	} else {
		prev := counted[len(counted)-1].date
		e = later(e, v.Interval.From(prev))
		e = later(e, v.NextInterval.From(prev))
	}
	if len(counted)+1 >= v.Doses {
		e = later(e, c.age(v.LastAge))
	}
	if sc.Live != "" {
		for _, d := range c.doses {
			if cf, ok := cdsi.LiveConflict(d.cvx, sc.Live); ok && d.skip == "" && !d.date.After(c.asOf) {
				e = later(e, cf.End.From(d.date))
			}
		}
	}
	if !e.After(c.asOf) {
		return e
	}
	for _, f := range c.resp.Forecast {
		if f.Group != ru.Group || f.Earliest == "" {
			continue
		}
		if t, err := time.Parse(time.DateOnly, f.Earliest); err == nil {
			e = later(e, t)
		}
	}
	return e
}

// have says what the record holds toward the rule, and why the doses that
// do not count do not.
func (c *checker) have(ru *rule, v variant, counted []given, notes []string, lastOK bool) string {
	var s string
	switch len(counted) {
	case 0:
		s = "none recorded"
		if len(notes) > 0 {
			s = "none that counts"
		}
	case 1:
		s = "1 dose counts (" + counted[0].iso + ")"
	default:
		s = strconv.Itoa(len(counted)) + " doses count (" + counted[0].iso + " to " + counted[len(counted)-1].iso + ")"
	}
	if len(counted) >= v.Doses && !lastOK {
		s += ", none on or after the " + ageWords(v.LastAge)
	}
	if len(notes) > 0 {
		s += "; not counted: " + strings.Join(notes, ", ")
	}
	return s
}

// documents lists the papers that could satisfy a requirement for a
// grade, in a fixed order.
func (rs *ruleSet) documents(grade Grade, vaccine string) []string {
	out := []string{}
	for _, key := range []string{LabImmunity, VaricellaHistory, MedicalExemption, ReligiousExemption} {
		d, ok := rs.Documents[key]
		if ok && d.Grades.has(grade) && (len(d.Vaccines) == 0 || slices.Contains(d.Vaccines, vaccine)) {
			out = append(out, key)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func iso(t time.Time) string { return t.Format(time.DateOnly) }

func days(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

func dayMonth(t time.Time) string { return t.Format("2 January 2006") }

// ageWords says an age as the rules do: "1st birthday", "24 weeks of age".
func ageWords(s cdsi.Span) string {
	if s.Months == 0 && s.Weeks == 0 && s.Days == 0 && s.Years > 0 {
		return ordinal(s.Years) + " birthday"
	}
	return s.String() + " of age"
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}
