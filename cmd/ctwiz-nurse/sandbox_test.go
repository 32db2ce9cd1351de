package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
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
