package onboard

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Scenario is one row of a scenario file: a test student, what CT WiZ is
// expected to answer, and optionally the registry ID of the record (or,
// for candidates, of the candidate to fetch in phase 3).
type Scenario struct {
	Label        string // how the report names it; never the student's name
	Demographics hl7.Demographics
	Expect       hl7.Outcome // record, candidates, too_many or not_found
	RegistryID   string
}

// Columns are the scenario file's columns, in any order; label, last,
// first, dob and expect are required.
var Columns = []string{"label", "last", "first", "middle", "dob", "sex", "mother_maiden", "street", "city", "state", "zip", "phone", "expect", "registry_id"}

var required = []string{"label", "last", "first", "dob", "expect"}

// Expectations are the outcomes a scenario may expect.
var Expectations = []hl7.Outcome{hl7.OutcomeRecord, hl7.OutcomeCandidates, hl7.OutcomeTooMany, hl7.OutcomeNotFound}

// ReadScenarios reads a scenario file: CSV with a header row naming the
// Columns, lines starting with # ignored. Errors name the line and what is
// wrong, never a value of the row (it may be a real student's).
func ReadScenarios(r io.Reader) ([]Scenario, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the scenario file is empty: it needs a header row (" + strings.Join(Columns, ",") + ") and one row per scenario")
	}
	if err != nil {
		return nil, fmt.Errorf("scenario file: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(Columns, h) {
			return nil, fmt.Errorf("scenario file: unknown column %q; the columns are %s", h, strings.Join(Columns, ", "))
		}
		col[h] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("scenario file: the header has no %q column (required: %s)", c, strings.Join(required, ", "))
		}
	}
	var out []Scenario
	labels := map[string]bool{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("scenario file line %d: %v", pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("scenario file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		s, err := scenario(get)
		if err != nil {
			return nil, fmt.Errorf("scenario file line %d: %w", line, err)
		}
		if labels[s.Label] {
			return nil, fmt.Errorf("scenario file line %d: the label %q is used twice; each scenario needs its own", line, s.Label)
		}
		labels[s.Label] = true
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errors.New("the scenario file has a header but no scenario")
	}
	return out, nil
}

func scenario(get func(string) string) (Scenario, error) {
	s := Scenario{Label: get("label"), Expect: hl7.Outcome(strings.ToLower(get("expect"))), RegistryID: get("registry_id")}
	d := &s.Demographics
	d.Last, d.First, d.Middle = get("last"), get("first"), get("middle")
	d.Sex = strings.ToUpper(get("sex"))
	d.MotherMaidenLast, d.MotherMaidenFirst = hl7.SplitMaidenName(get("mother_maiden"))
	d.Address = hl7.Address{Street: get("street"), City: get("city"), State: strings.ToUpper(get("state")), Zip: get("zip")}
	d.Phone = get("phone")
	if s.Label == "" {
		return s, errors.New("the label is empty")
	}
	// The label is what the report shows: it must not carry the name.
	for _, n := range []string{d.Last, d.First} {
		if len(n) > 1 && strings.Contains(strings.ToLower(s.Label), strings.ToLower(n)) {
			return s, errors.New("the label contains the student's name; the report names scenarios by label only, so use words such as \"twins\" or \"exact match\"")
		}
	}
	if !slices.Contains(Expectations, s.Expect) {
		return s, fmt.Errorf("expect must be record, candidates, too_many or not_found")
	}
	now := time.Now()
	bd, err := hl7.ParseDate(get("dob"), now)
	var de *hl7.DateError
	if errors.As(err, &de) {
		// Not de.Problem: it may name the month and year typed, and the
		// report never carries a birth date.
		return s, errors.New("dob is not a date it reads; accepted: " + de.Accepted)
	}
	d.BirthDate = bd
	if err := d.Validate(now); err != nil {
		return s, err // a *hl7.FieldError: the field and the problem, never the value
	}
	return s, nil
}
