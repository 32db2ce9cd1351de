package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

func TestSandboxList(t *testing.T) {
	code, out, _ := runCmd(t, "", nil, "sandbox", "--list")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"SANDOVAL", "2008-04-12", "NGUYEN, Minh, 2017-09-03", "too many matches", "DOE", "not found", "more than 60 doses"} {
		if !strings.Contains(out, want) {
			t.Errorf("--list lacks %q:\n%s", want, out)
		}
	}
}

func TestSandboxFlags(t *testing.T) {
	for _, args := range [][]string{
		{"sandbox", "--misbehave", "sometimes"},
		{"sandbox", "--today", "31/31/2020"},
		{"sandbox", "extra"},
		{"sandbox", "--seed", "testdata/does-not-exist.hl7"},
		{"sandbox", "--today", "2015-01-01"}, // before the youngest built-in student was born
	} {
		if code, _, stderr := runCmd(t, "", nil, args...); code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// TestQuerySandbox runs 'query --sandbox' and 'ping --sandbox' in-process:
// the sandbox starts on a loopback port with its own credentials.
func TestQuerySandbox(t *testing.T) {
	keyring.MockInit() // an empty keychain: the sandbox's credentials are used
	cases := []struct {
		args    []string
		code    int
		profile string
	}{
		{[]string{"--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12"}, exitOK, "Z42"},
		// The mother's first name does not turn the exact match into a list.
		{[]string{"--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12", "--mother-maiden", "Reyes, Maria"}, exitOK, "Z42"},
		{[]string{"--last", "Nguyen", "--first", "Minh", "--dob", "09/03/2017"}, exitCandidates, "Z31"},
		{[]string{"--last", "Nguyen", "--first", "Minh", "--dob", "09/03/2017", "--pick", "1"}, exitOK, "Z42"},
		{[]string{"--last", "Smith", "--first", "Michael", "--dob", "2015-09-01"}, exitTooMany, "Z33"},
		{[]string{"--last", "Doe", "--first", "Jane", "--dob", "2016-01-01"}, exitNotFound, "Z33"},
		{[]string{"--last", "O'Brien", "--first", "Siobhan", "--dob", "2016-11-30", "--z34"}, exitOK, "Z42"},
	}
	for _, c := range cases {
		args := append([]string{"query", "--sandbox", "--json"}, c.args...)
		code, out, stderr := runCmd(t, "", nil, args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s", c.args, code, c.code, stderr)
			continue
		}
		var r struct{ Profile string }
		if err := json.Unmarshal([]byte(out), &r); err != nil || r.Profile != c.profile {
			t.Errorf("%v: profile %q (%v), want %s", c.args, r.Profile, err, c.profile)
		}
		if !strings.Contains(stderr, "synthetic") || !strings.Contains(stderr, "SANDBOX") {
			t.Errorf("%v: stderr does not say the data is synthetic sandbox data:\n%s", c.args, stderr)
		}
	}
	if code, out, stderr := runCmd(t, "", nil, "ping", "--sandbox"); code != exitOK || !strings.Contains(out, "SANDBOX") {
		t.Errorf("ping --sandbox: exit %d\n%s%s", code, out, stderr)
	}
	if code, _, _ := runCmd(t, "", nil, "query", "--sandbox", "--endpoint", "https://example.org/iis", "--last", "A", "--first", "B", "--dob", "2010-01-01"); code != exitUsage {
		t.Errorf("--sandbox with --endpoint: exit %d, want %d", code, exitUsage)
	}
}

func TestStartSandboxToday(t *testing.T) {
	getenv := func(k string) string {
		if k == envSandboxToday {
			return "2020-13-01"
		}
		return ""
	}
	if _, _, _, err := startSandbox(&env{getenv: getenv}); err == nil || !strings.Contains(err.Error(), envSandboxToday) {
		t.Errorf("a bad %s: %v", envSandboxToday, err)
	}
}

// TestREADMEStudents: every row of the README's table of built-in
// students is true of the in-process sandbox: typing the "Type this"
// column gives the outcome the row describes, the listed registry IDs and,
// where it says so, the number of doses.
func TestREADMEStudents(t *testing.T) {
	keyring.MockInit()
	table := readmeSection(t, "**Built-in students**", "**How it matches.**")
	doses := regexp.MustCompile(`(\d+) doses`)
	rows := 0
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 7 || !strings.Contains(cells[4], ",") || strings.Contains(cells[1], "---") {
			continue
		}
		rows++
		ids, typed, shows := strings.TrimSpace(cells[3]), strings.ReplaceAll(cells[4], "*", ""), cells[5]
		parts := strings.Split(typed, ",")
		if len(parts) != 3 {
			t.Errorf("row %q: 'Type this' is not 'Last, First, DOB'", typed)
			continue
		}
		code, out, stderr := runCmd(t, "", nil, "query", "--sandbox", "--json", "--last", strings.TrimSpace(parts[0]),
			"--first", strings.TrimSpace(parts[1]), "--dob", strings.TrimSpace(parts[2]))
		var r hl7.Response
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Errorf("%s: exit %d, no JSON (%v)\n%s", typed, code, err, stderr)
			continue
		}
		want, wantCode := hl7.OutcomeRecord, exitOK
		switch {
		case strings.Contains(shows, "not found"):
			want, wantCode = hl7.OutcomeNotFound, exitNotFound
		case strings.Contains(shows, "too many"):
			want, wantCode = hl7.OutcomeTooMany, exitTooMany
		case strings.Contains(shows, "candidates"):
			want, wantCode = hl7.OutcomeCandidates, exitCandidates
		}
		if r.Outcome != want || code != wantCode {
			t.Errorf("%s: %s (exit %d); the README says %q", typed, r.Outcome, code, strings.TrimSpace(shows))
		}
		var got []string
		for _, p := range r.Patients {
			got = append(got, p.RegistryID)
		}
		if want == hl7.OutcomeRecord || want == hl7.OutcomeCandidates {
			if g := strings.Join(got, " / "); g != ids {
				t.Errorf("%s: registry IDs %q, the README lists %q", typed, g, ids)
			}
		}
		if m := doses.FindStringSubmatch(shows); m != nil && strconv.Itoa(len(r.Immunizations)) != m[1] {
			t.Errorf("%s: %d doses, the README says %s", typed, len(r.Immunizations), m[1])
		}
	}
	if rows < 10 { // one per case: the twins and the Smiths share a row
		t.Errorf("%d rows in the README's table of built-in students, want 10", rows)
	}
}

// TestProfileOnlyInKeychain: --profile P --endpoint URL works when P has
// credentials in the keychain but no section in config.toml (issue 11.4):
// P names the keychain entry, the other settings are the defaults.
func TestProfileOnlyInKeychain(t *testing.T) {
	keyring.MockInit()
	srv, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	endpoint := hs.URL + sandbox.Path
	user, pw, facility := srv.Credentials()
	if err := keychain.Set("school", credentials.Credentials{Username: user, Password: pw, FacilityID: facility}); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte("[profiles.qa]\nendpoint = \"https://qa.example.test/iis\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	student := []string{"--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12"}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"profile in the keychain only, with --endpoint", []string{"--profile", "school", "--endpoint", endpoint}, exitOK, "SANDOVAL, Maya"},
		{"profile in the keychain only, without --endpoint", []string{"--profile", "school"}, exitConfig, `there is no profile "school"; configured profiles: qa`},
		{"profile nowhere, with --endpoint", []string{"--profile", "nowhere", "--endpoint", endpoint}, exitAuth, `no CT WiZ credentials for profile "nowhere"`},
	}
	for _, tt := range tests {
		args := append(append([]string{"query", "--config", cfg}, tt.args...), student...)
		code, out, errs := runCmd(t, "", nil, args...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("%s: exit %d (want %d), output lacks %q:\n%s%s", tt.name, code, tt.code, tt.want, out, errs)
		}
	}
}

// TestSandboxSyntheticInProcess: CTWIZ_SANDBOX_SYNTHETIC adds the
// generated school to the --sandbox registry: each kind of roster row
// answers as its truth says.
func TestSandboxSyntheticInProcess(t *testing.T) {
	keyring.MockInit()
	const day = "2026-11-25"
	syn, err := sandbox.Synthesize(40, 1, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		return map[string]string{envSandboxToday: day, envSandboxSynthetic: "40"}[k]
	}
	codes := map[string]int{"compliant": exitOK, "in_process": exitOK, "not_compliant": exitOK,
		"not_found": exitNotFound, "needs_review": exitCandidates, "too_many": exitTooMany}
	tried := map[string]bool{}
	for _, r := range syn.Roster {
		if tried[r.Truth.Outcome] {
			continue
		}
		tried[r.Truth.Outcome] = true
		args := []string{"query", "--sandbox", "--json", "--last", r.Last, "--first", r.First, "--dob", r.Born}
		code, out, stderr := runCmd(t, "", getenv, args...)
		if code != codes[r.Truth.Outcome] {
			t.Errorf("%s (%s): exit %d, want %d\n%s", r.Truth.Outcome, r.Case, code, codes[r.Truth.Outcome], stderr)
		}
		if code == exitOK && !strings.Contains(out, `"`+r.Truth.RegistryID+`"`) {
			t.Errorf("%s: the record is not registry ID %s", r.Truth.Outcome, r.Truth.RegistryID)
		}
	}
	if len(tried) != len(codes) {
		t.Errorf("the 40 students show only %v", tried)
	}
	bad := func(k string) string {
		return map[string]string{envSandboxSynthetic: "forty"}[k]
	}
	if _, _, _, err := startSandbox(&env{getenv: bad}); err == nil || !strings.Contains(err.Error(), envSandboxSynthetic) {
		t.Errorf("a bad %s: %v", envSandboxSynthetic, err)
	}
}

func TestSandboxSyntheticFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"sandbox", "--write-roster", "class.csv"}, "--write-roster needs --synthetic N"},
		{[]string{"sandbox", "--synthetic", "-3"}, "give a number from 1"},
		{[]string{"sandbox", "--synthetic", "5", "--synthetic-seed", "x"}, "synthetic-seed"},
	} {
		code, _, stderr := runCmd(t, "", nil, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, exitUsage, c.msg)
		}
	}
}

// TestQueryDateForms: every date form the one parser reads finds the same
// built-in student through 'query --dob', and a refused one exits 2 with
// the parser's reason and the accepted forms (issue 11.12). Two-digit
// years are read as this year's window, 22 years back to next year.
func TestQueryDateForms(t *testing.T) {
	keyring.MockInit()
	for _, dob := range []string{"2019-06-20", "2019-6-20", "6/20/2019", "06/20/2019", "6-20-2019", "06202019", "20190620", "6/20/19", "6/20/2019 0:00"} {
		code, out, stderr := runCmd(t, "", nil, "query", "--sandbox", "--json", "--last", "Parker", "--first", "Liam", "--dob", dob)
		var r hl7.Response
		if err := json.Unmarshal([]byte(out), &r); code != exitOK || err != nil || len(r.Patients) != 1 || r.Patients[0].BirthDate != "2019-06-20" {
			t.Errorf("--dob %q: exit %d, %v\n%s", dob, code, err, stderr)
		}
	}
	now := time.Now().Year()
	accepted := fmt.Sprintf("accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for %d-%d", now-22, now+1)
	for _, c := range []struct{ flag, date, reason string }{
		{"--dob", "6/20/50", fmt.Sprintf("not read: a two-digit year is read only as %d-%d, where a century off is no student; type the four-digit year", now-22, now+1)},
		{"--dob", "20/6/2019", "not a real date: there is no month 20 (the month comes first)"},
		{"--dob", "062019", "not a date"},
		{"--as-of", "2/30/2027", "not a real date: February 2027 has 28 days"},
	} {
		args := []string{"query", "--sandbox", "--last", "Parker", "--first", "Liam", "--dob", "2019-06-20", "--grade", "2"}
		if c.flag == "--dob" {
			args[len(args)-3] = c.date
		} else {
			args = append(args, c.flag, c.date)
		}
		code, _, stderr := runCmd(t, "", nil, args...)
		want := fmt.Sprintf("ctwiz-nurse query: %s: %q is %s; %s\n", c.flag, c.date, c.reason, accepted)
		if code != exitUsage || stderr != want {
			t.Errorf("%s %s: exit %d, stderr\n%q\nwant\n%q", c.flag, c.date, code, stderr, want)
		}
	}
}
