package sandbox_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// TestSyntheticTruth: every synthetic student, queried through the real
// client and checked by package schoolentry, gives the outcome the
// generator chose for her, on several days of the school year; a
// needs_review row's candidates include her own record, which checks as
// Truth.Record.
func TestSyntheticTruth(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		n    int
		seed uint64
	}{
		{time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), 120, 1},
		{time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC), 60, 7},
		{time.Date(2027, 7, 31, 10, 0, 0, 0, time.UTC), 60, 42},
	} {
		t.Run(tc.day.Format(time.DateOnly), func(t *testing.T) {
			syn, err := sandbox.Synthesize(tc.n, tc.seed, tc.day)
			if err != nil {
				t.Fatal(err)
			}
			day := tc.day
			c := start(t, sandbox.Options{Now: func() time.Time { return day }, Synthetic: syn}, query.Config{})
			seen := map[string]int{}
			for _, r := range syn.Roster {
				seen[r.Truth.Outcome]++
				t.Run(r.Last+"_"+r.First, func(t *testing.T) { checkTruth(t, c, r, day) })
			}
			for _, o := range []string{"compliant", "in_process", "not_compliant", "not_found", "needs_review", "too_many"} {
				if seen[o] == 0 {
					t.Errorf("no student with outcome %s among %d: %v", o, tc.n, seen)
				}
			}
		})
	}
}

func checkTruth(t *testing.T, c *query.Client, r sandbox.RosterStudent, day time.Time) {
	ctx := context.Background()
	born, _ := time.Parse(time.DateOnly, r.Born)
	d := hl7.Demographics{Last: r.Last, First: r.First, Middle: r.Middle, BirthDate: born, Sex: r.Sex}
	resp, err := c.Find(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	want := r.Truth
	switch resp.Outcome {
	case hl7.OutcomeNotFound:
		if want.Outcome != "not_found" {
			t.Fatalf("not found; want %+v (%s)", want, r.Case)
		}
		return
	case hl7.OutcomeTooMany:
		if want.Outcome != "too_many" {
			t.Fatalf("too many; want %+v (%s)", want, r.Case)
		}
		return
	case hl7.OutcomeCandidates:
		if want.Outcome != "needs_review" || len(resp.Patients) != want.Candidates {
			t.Fatalf("%d candidates; want %+v (%s)", len(resp.Patients), want, r.Case)
		}
		i := slices.IndexFunc(resp.Patients, func(p hl7.Patient) bool { return p.RegistryID == want.RegistryID })
		if i < 0 {
			t.Fatalf("her record %s is not among the candidates", want.RegistryID)
		}
		if resp, err = c.Fetch(ctx, resp.Patients[i], d); err != nil {
			t.Fatal(err)
		}
	case hl7.OutcomeRecord:
		if want.Outcome != want.Record {
			t.Fatalf("a record; want %+v (%s)", want, r.Case)
		}
	default:
		t.Fatalf("outcome %s", resp.Outcome)
	}
	if got := resp.Patients[0].RegistryID; got != want.RegistryID {
		t.Errorf("registry ID %s, want %s", got, want.RegistryID)
	}
	res, err := schoolentry.Check(resp, schoolentry.Grade(r.Grade), day)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	next := ""
	for _, q := range res.Requirements {
		switch q.Status {
		case schoolentry.Missing:
			missing = append(missing, q.Vaccine)
		case schoolentry.InProcess:
			next = q.Earliest
		}
	}
	if res.Status != want.Record || !slices.Equal(missing, want.Missing) || next != want.NextDate {
		var msgs []string
		for _, q := range res.Requirements {
			if q.Status != schoolentry.Met {
				msgs = append(msgs, q.Message)
			}
		}
		t.Errorf("grade %s: %s, missing %v, next %q; want %s, missing %v, next %q (%s)\n%s",
			r.Grade, res.Status, missing, next, want.Record, want.Missing, want.NextDate, r.Case, strings.Join(msgs, "\n"))
	}
}

// TestSyntheticDeterministic: the same number, seed and day give the same
// school; another seed another one.
func TestSyntheticDeterministic(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	roster := func(seed uint64) string {
		syn, err := sandbox.Synthesize(50, seed, day)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := syn.WriteRoster(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := roster(3), roster(3); a != b {
		t.Error("seed 3 gave two different rosters")
	}
	if roster(3) == roster(4) {
		t.Error("seeds 3 and 4 gave the same roster")
	}
}

// TestSyntheticRoster: the roster file is what a student information
// system exports: PowerSchool's header, one row per roster student in
// name order, US dates, grades as K and two digits, CRLF; and the mix of
// cases and grades a nurse meets.
func TestSyntheticRoster(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	syn, err := sandbox.Synthesize(200, 1, day)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := syn.WriteRoster(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "Student_Number,Last_Name,First_Name,Middle_Name,DOB,Gender,Grade_Level\r\n") {
		t.Errorf("header: %q", strings.SplitN(b.String(), "\n", 2)[0])
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 201 || len(syn.Roster) != 200 {
		t.Fatalf("%d rows, %d students; want 200", len(rows)-1, len(syn.Roster))
	}
	numbers := map[string]bool{}
	grades := map[string]int{}
	outcomes := map[string]int{}
	for i, r := range syn.Roster {
		row := rows[i+1]
		born, _ := time.Parse(time.DateOnly, r.Born)
		want := []string{r.Number, r.Last, r.First, r.Middle, born.Format("01/02/2006"), r.Sex}
		if !slices.Equal(row[:6], want) {
			t.Errorf("row %d: %q, want %q", i+1, row, want)
		}
		if numbers[r.Number] {
			t.Errorf("student number %s twice", r.Number)
		}
		numbers[r.Number] = true
		grades[row[6]]++
		outcomes[r.Truth.Outcome]++
		if i > 0 && syn.Roster[i-1].Last > r.Last {
			t.Errorf("row %d (%s) after %s: not in name order", i+1, r.Last, syn.Roster[i-1].Last)
		}
	}
	for _, g := range []string{"K", "07", "01", "04", "09", "12"} {
		if grades[g] == 0 {
			t.Errorf("no student in grade %s: %v", g, grades)
		}
	}
	if grades["K"]+grades["07"] < 100 {
		t.Errorf("grades %v: most students should be entrants (K, 7)", grades)
	}
	t.Logf("outcomes: %v; grades: %v", outcomes, grades)
}

// TestSyntheticOtherDay: a school made for another day is refused, since
// its truths hold for the day it was made for.
func TestSyntheticOtherDay(t *testing.T) {
	syn, err := sandbox.Synthesize(5, 1, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sandbox.New(sandbox.Options{Synthetic: syn, Now: func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }})
	if err == nil || !strings.Contains(err.Error(), "made for 2026-11-25, not the sandbox's day 2026-12-01") {
		t.Errorf("error %v", err)
	}
}

// TestSyntheticRosterReads: the roster file reads back through the
// roster package as the students the generator made, every row sendable.
func TestSyntheticRosterReads(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	syn, err := sandbox.Synthesize(300, 9, day)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := syn.WriteRoster(&b); err != nil {
		t.Fatal(err)
	}
	ro, err := roster.Read(&b, roster.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(ro.Problems) != 0 || len(ro.Duplicates) != 0 || len(ro.Students) != len(syn.Roster) {
		t.Fatalf("%d students, problems %v, duplicates %v; want %d", len(ro.Students), ro.Problems, ro.Duplicates, len(syn.Roster))
	}
	for i, s := range ro.Students {
		r := syn.Roster[i]
		if s.Number != r.Number || s.Last != r.Last || s.First != r.First || s.Middle != r.Middle ||
			s.BirthDate.Format(time.DateOnly) != r.Born || s.Sex != r.Sex || string(s.Grade) != r.Grade {
			t.Errorf("line %d read as %+v; want %+v", s.Line, s, r)
		}
	}
}
