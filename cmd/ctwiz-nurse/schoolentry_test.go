package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// builtinSchoolEntry is each built-in student with the grade her age gives
// in 2026-27 (age on 1 September 2026: 3-4 pre-K, 5 kindergarten, 6 grade
// 1 ... 17 and older grade 12), checked on 2026-12-01, with what the
// README's school-entry table says: the overall status, and the
// requirements missing and in process.
var builtinSchoolEntry = []struct {
	last, first, dob string
	grade            string
	status           string
	missing          []string
	inProcess        []string
}{
	{"Sandoval", "Maya", "2008-04-12", "12", schoolentry.Compliant, nil, nil},
	{"Parker", "Liam", "2019-06-20", "2", schoolentry.NotCompliant, []string{"DTaP/Tdap/Td", "Polio", "MMR", "Varicella", "HepA"}, nil},
	{"Nguyen", "Minh Anh", "2017-09-03", "3", schoolentry.Compliant, nil, nil},
	{"OBrien", "Siobhan", "2016-11-30", "4", schoolentry.Compliant, nil, nil},
	{"Garcia Lopez", "Jose", "2014-07-04", "7", schoolentry.Compliant, nil, nil},
	{"Whitehorse", "Dakota", "2013-02-17", "8", schoolentry.Compliant, nil, nil},
	{"Kowalski", "Zofia", "2020-02-14", "1", schoolentry.Compliant, nil, nil},
	{"Montgomery-Blake", "Theodore", "2008-01-05", "12", schoolentry.Compliant, nil, nil},
	{"Smith", "Emma", "2015-09-01", "6", schoolentry.Compliant, nil, nil},
	{"Adeyemi", "Tobi", "2022-10-15", "PK", schoolentry.InProcess, nil, []string{"Influenza"}},
	{"Kim", "Jae", "2021-05-10", "K", schoolentry.InProcess, nil, []string{"HepA"}},
	{"Okafor", "Chidi", "2011-10-02", "9", schoolentry.NotCompliant, []string{"Tdap", "Varicella", "MenACWY"}, nil},
}

// queryJSON is query --json's shape with --grade: the reply's keys and
// "compliance", and nothing else.
type queryJSON struct {
	hl7.Response
	Compliance *schoolentry.Result `json:"compliance"`
}

// TestQueryGradeBuiltinStudents runs 'query --sandbox --grade G --as-of
// 2026-12-01 --json' for every built-in student through the real client and
// the in-process sandbox.
func TestQueryGradeBuiltinStudents(t *testing.T) {
	keyring.MockInit()
	for _, s := range builtinSchoolEntry {
		t.Run(s.last+"_"+s.grade, func(t *testing.T) {
			code, out, stderr := runCmd(t, "", nil, "query", "--sandbox", "--json", "--grade", s.grade, "--as-of", "2026-12-01",
				"--last", s.last, "--first", s.first, "--dob", s.dob)
			if code != exitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			var r queryJSON
			dec := json.NewDecoder(strings.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&r); err != nil {
				t.Fatal(err)
			}
			c := r.Compliance
			if c == nil {
				t.Fatalf("no compliance object:\n%s", out)
			}
			if c.Grade != schoolentry.Grade(s.grade) || c.SchoolYear != "2026-27" || c.RulesVersion != "ct-2026-27" {
				t.Errorf("grade %s, year %s, rules %s", c.Grade, c.SchoolYear, c.RulesVersion)
			}
			var missing, inProcess []string
			for _, q := range c.Requirements {
				switch q.Status {
				case schoolentry.Missing:
					missing = append(missing, q.Vaccine)
				case schoolentry.InProcess:
					inProcess = append(inProcess, q.Vaccine)
					if q.Earliest <= "2026-11-30" && q.Vaccine != "Influenza" {
						t.Errorf("%s in process with the earliest date %q", q.Vaccine, q.Earliest)
					}
				case schoolentry.Met:
					if len(q.Counted) == 0 {
						t.Errorf("%s met with no dose counted", q.Vaccine)
					}
				}
			}
			if c.Status != s.status || !slices.Equal(missing, s.missing) || !slices.Equal(inProcess, s.inProcess) {
				t.Errorf("%s, missing %v, in process %v; want %s, %v, %v", c.Status, missing, inProcess, s.status, s.missing, s.inProcess)
			}
		})
	}
}

func TestQueryGradeReadable(t *testing.T) {
	keyring.MockInit()
	code, out, stderr := runCmd(t, "", nil, "query", "--sandbox", "--grade", "9", "--as-of", "12/01/2026",
		"--last", "Okafor", "--first", "Chidi", "--dob", "2011-10-02")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"School entry, grade 9, 2026-27: NOT COMPLIANT",
		"  MenACWY       MISSING  MenACWY: 1 dose of MenACWY needed for grade 9; none recorded; the next dose can be given now",
		"  HepB          met      HepB: met for grade 9",
		"(checked by ctwiz-nurse against the CT DPH requirements for 2026-27; not an official determination)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

func TestQueryGradeErrors(t *testing.T) {
	keyring.MockInit()
	student := []string{"--last", "Kim", "--first", "Jae", "--dob", "2021-05-10"}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"grade out of range", []string{"--grade", "13"}, exitUsage, `--grade: grade "13": give PK (pre-K), K (kindergarten) or a grade from 1 to 12`},
		{"as-of without a grade", []string{"--as-of", "2026-12-01"}, exitUsage, "--as-of is the day of the school-entry check: give --grade too"},
		{"as-of not a date", []string{"--grade", "K", "--as-of", "12/32/2026"}, exitUsage, `--as-of: "12/32/2026" is not a real date`},
		{"a school year without rules", []string{"--grade", "K", "--as-of", "2027-08-01"}, exitFailure, "no Connecticut school-entry rules for the 2027-28 school year"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", nil, append(append([]string{"query", "--sandbox"}, tc.args...), student...)...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d; stderr lacks %q?\n%s", code, tc.code, tc.stderr, stderr)
			}
		})
	}
	// Candidates are no one's record: no compliance object, the usual exit.
	code, out, _ := runCmd(t, "", nil, "query", "--sandbox", "--json", "--grade", "3", "--last", "Nguyen", "--first", "Minh", "--dob", "2017-09-03")
	if code != exitCandidates || strings.Contains(out, `"compliance"`) {
		t.Errorf("candidates with --grade: exit %d, compliance in the JSON: %v", code, strings.Contains(out, `"compliance"`))
	}
}

// TestQueryGradeSandboxToday: with --sandbox and no --as-of, the check is
// made on the sandbox's today (CTWIZ_SANDBOX_TODAY), the day its
// students' records stand as; --as-of still wins.
func TestQueryGradeSandboxToday(t *testing.T) {
	keyring.MockInit()
	tests := []struct {
		today, asOf      string
		year, hepA, date string
	}{
		{"2026-12-01", "", "2026-27", schoolentry.InProcess, "2027-04-15"},
		{"2026-03-02", "", "2025-26", schoolentry.Missing, ""},
		// The records stand as on 2 March 2026 (KIM's HepA came later),
		// checked in the school year of --as-of.
		{"2026-03-02", "2026-12-01", "2026-27", schoolentry.Missing, ""},
	}
	for _, tt := range tests {
		t.Run(tt.today+"_"+tt.asOf, func(t *testing.T) {
			getenv := func(k string) string {
				if k == envSandboxToday {
					return tt.today
				}
				return ""
			}
			args := []string{"query", "--sandbox", "--json", "--grade", "K", "--last", "Kim", "--first", "Jae", "--dob", "2021-05-10"}
			if tt.asOf != "" {
				args = append(args, "--as-of", tt.asOf)
			}
			code, out, stderr := runCmd(t, "", getenv, args...)
			if code != exitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			var r queryJSON
			if err := json.Unmarshal([]byte(out), &r); err != nil || r.Compliance == nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if r.Compliance.SchoolYear != tt.year {
				t.Errorf("school year %s, want %s", r.Compliance.SchoolYear, tt.year)
			}
			for _, q := range r.Compliance.Requirements {
				if q.Vaccine == "HepA" && (q.Status != tt.hepA || q.Earliest != tt.date) {
					t.Errorf("HepA %s %q, want %s %q: %s", q.Status, q.Earliest, tt.hepA, tt.date, q.Message)
				}
			}
		})
	}
}
