package roster_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// TestCheckBuiltinStudents checks built-in sandbox students, one of each
// outcome, through a real client on loopback.
func TestCheckBuiltinStudents(t *testing.T) {
	_, client := newSandbox(t, sandbox.Options{})
	ch := &roster.Checker{Client: client, AsOf: today}
	for _, tc := range []struct {
		last, first, dob, grade string
		want                    roster.Outcome
		missing                 []string
		next, registryID        string
		candidates              int
	}{
		{"Sandoval", "Maya", "2008-04-12", "12", roster.Compliant, nil, "", "9000001", 0},
		{"Parker", "Liam", "2019-06-20", "2", roster.NotCompliant, []string{"DTaP/Tdap/Td", "Polio", "MMR", "Varicella", "HepA"}, "", "9000002", 0},
		{"Adeyemi", "Tobi", "2022-10-15", "PK", roster.InProcess, nil, "2026-12-01", "9000023", 0},
		{"Nguyen", "Minh", "2017-09-03", "3", roster.NeedsReview, nil, "", "", 2},
		{"Smith", "Michael", "2015-09-01", "6", roster.TooMany, nil, "", "", 0},
		{"Doe", "Jane", "2016-01-01", "4", roster.NotFound, nil, "", "", 0},
	} {
		t.Run(tc.last, func(t *testing.T) {
			bd, err := hl7.ParseDate(tc.dob, today)
			if err != nil {
				t.Fatal(err)
			}
			g, err := schoolentry.ParseGrade(tc.grade)
			if err != nil {
				t.Fatal(err)
			}
			r := ch.Check(context.Background(), roster.Student{Line: 2, Last: tc.last, First: tc.first, BirthDate: bd, Grade: g})
			if r.Outcome != tc.want || !slices.Equal(r.Missing, tc.missing) || r.RegistryID != tc.registryID || len(r.Candidates) != tc.candidates {
				t.Errorf("got %s missing %q id %q %d candidates (%v); want %s %q %q %d",
					r.Outcome, r.Missing, r.RegistryID, len(r.Candidates), r.Err, tc.want, tc.missing, tc.registryID, tc.candidates)
			}
			if tc.next != "" && r.NextDate == "" {
				t.Errorf("next date empty, want one")
			}
			if r.Pause() {
				t.Errorf("Pause() true for %s", r.Outcome)
			}
		})
	}
}

// TestCheckPausesOnAuth: an account CT WiZ refuses is the run's failure,
// not the student's.
func TestCheckPausesOnAuth(t *testing.T) {
	_, cfg := sandboxConfig(t, sandbox.Options{})
	cfg.Password = "not the sandbox's"
	client := newClient(t, cfg)
	ch := &roster.Checker{Client: client, Grade: "K", AsOf: today}
	r := ch.Check(context.Background(), roster.Student{Line: 2, Last: "Doe", First: "Jane", BirthDate: today.AddDate(-5, 0, 0)})
	if r.Outcome != roster.Error || r.ErrorKind != string(query.KindAuth) || !r.Pause() {
		t.Errorf("got %s %q pause %v (%v); want error auth, pause", r.Outcome, r.ErrorKind, r.Pause(), r.Err)
	}
}
