package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadExample(t *testing.T) {
	f, err := Load(filepath.Join("testdata", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	def, err := f.Profile("")
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{
		Name: "qa", Endpoint: "https://qa.ctwiz.example.org/IISService", FacilityID: "CTNURSE01", Username: "jdoe",
		SendingApp: "CTWIZNURSE", ReceivingFacility: "CT0000", ProcessingID: "T", QueryProfile: "Z44", CandidateLimit: 10,
		ConnectTimeout: 10 * time.Second, Timeout: 45 * time.Second, CAFile: "testdata/qa-ca.pem", IdleLock: 10 * time.Minute,
		SchoolName: "Hillside Elementary School", NurseName: "Dana Reyes, RN", NursePhone: "(860) 555-0142", Pace: 2 * time.Second,
	}
	if def != want {
		t.Errorf("default profile\n got %+v\nwant %+v", def, want)
	}
	if def.Environment() != "QA/TEST" {
		t.Errorf("qa environment = %q", def.Environment())
	}
	prod, err := f.Profile("production")
	if err != nil {
		t.Fatal(err)
	}
	if prod.SearchProfile != "Z34" || prod.CandidateLimit != 5 || prod.IdleLock != 5*time.Minute || prod.ProcessingID != "P" ||
		prod.ConnectTimeout != DefaultConnectTimeout || prod.Timeout != DefaultTimeout || prod.Printer != "nurse-office" ||
		prod.Pace != DefaultPace || prod.SchoolName != "" {
		t.Errorf("production profile %+v", prod)
	}
	if prod.Environment() != "PRODUCTION" {
		t.Errorf("production environment = %q", prod.Environment())
	}
	if _, err := f.Profile("staging"); err == nil || !strings.Contains(err.Error(), `there is no profile "staging"; configured profiles: production, qa`) {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "config.toml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
	var f *File // no file: defaults
	p, err := f.Profile("")
	if err != nil || p.ReceivingFacility != "CT0000" || p.Timeout != 60*time.Second || p.ConnectTimeout != 15*time.Second || p.CandidateLimit != 10 || p.IdleLock != 10*time.Minute {
		t.Errorf("defaults: %+v, %v", p, err)
	}
	if _, err := f.Profile("qa"); err == nil {
		t.Error("a named profile without a file was accepted")
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, toml, want string
	}{
		{"password in profile", "[profiles.qa]\nendpoint = \"https://x.example/\"\npassword = \"hunter2\"\n", `it contains a password (key "profiles.qa.password")`},
		{"password at top", "password = \"hunter2\"\n", `it contains a password (key "password")`},
		{"password in a nested table", "[profiles.qa.extra]\nPassWord = \"x\"\n", `contains a password (key "profiles.qa.extra.PassWord")`},
		{"unknown key", "[profiles.qa]\nendpont = \"https://x.example/\"\n", `unknown setting "profiles.qa.endpont"`},
		{"integer timeout", "[profiles.qa]\ntimeout = 60\n", `profile "qa": timeout must be a duration in quotes`},
		{"integer pace", "[profiles.qa]\npace = 1\n", `profile "qa": pace must be a duration in quotes`},
		{"negative pace", "[profiles.qa]\npace = \"-1s\"\n", `profile "qa": pace must be a positive duration such as "2s"`},
		{"bad processing id", "[profiles.qa]\nprocessing_id = \"D\"\n", `processing_id "D" must be P (production) or T (training/test)`},
		{"bad query profile", "[profiles.qa]\nquery_profile = \"Z42\"\n", `query_profile "Z42" must be Z44`},
		{"bad search profile", "[profiles.qa]\nsearch_profile = \"Z31\"\n", `search_profile "Z31" must be Z34`},
		{"bad limit", "[profiles.qa]\ncandidate_limit = 1000\n", "candidate_limit 1000 must be between 1 and 100"},
		{"bad endpoint", "[profiles.qa]\nendpoint = \"ftp://x\"\n", `endpoint "ftp://x" is not an https:// URL`},
		{"password in the endpoint", "[profiles.qa]\nendpoint = \"https://jdoe:hunter2@ctwiz.example.org/IISService\"\n", `profile "qa": the endpoint contains a password. Passwords are never kept in files`},
		{"password in a bad endpoint", "[profiles.qa]\nendpoint = \"ftp://jdoe:hunter2@ctwiz.example.org/\"\n", "the endpoint contains a password"},
		{"unparsable endpoint", "[profiles.qa]\nendpoint = \"https://jdoe:hunter2@ctwiz example.org/%zz\"\n", "endpoint is not a URL such as https://host/path"},
		{"password in the endpoint's query string", "[profiles.qa]\nendpoint = \"https://ctwiz.example.org/IISService?user=jdoe&password=hunter2\"\n", "the endpoint https://ctwiz.example.org/IISService is followed by a query string"},
		{"password in the endpoint's fragment", "[profiles.qa]\nendpoint = \"https://ctwiz.example.org/IISService#hunter2\"\n", "is followed by a query string"},
		{"username in the endpoint", "[profiles.qa]\nendpoint = \"https://jdoe@ctwiz.example.org/IISService\"\n", "endpoint https://jdoe@ctwiz.example.org/IISService must not contain a username"},
		{"connect longer than overall", "[profiles.qa]\nconnect_timeout = \"90s\"\n", "connect_timeout 1m30s is longer than timeout 1m0s"},
		{"missing CA file", "[profiles.qa]\nca_file = \"/nonexistent/ca.pem\"\n", "ca_file: stat /nonexistent/ca.pem"},
		{"bad grade", "[profiles.qa]\ngrade = \"13\"\n", `profile "qa": grade "13": give PK (pre-K), K (kindergarten) or a grade from 1 to 12`},
		{"unknown default", "default_profile = \"prod\"\n[profiles.qa]\n", `default_profile "prod" is not one of the profiles (qa)`},
		{"not TOML", "[profiles.qa\n", "toml: line 2: expected '.' or ']' to end table name"},
		// A syntax error would quote part of the value it stopped at.
		{"unquoted password", "[profiles.qa]\npassword = hunter2\n", `it contains a password (key "profiles.qa.password")`},
		{"unterminated password", "[profiles.qa]\nendpoint = \"https://x.example/\"\npassword = 'hunter2\n", `it contains a password (key "profiles.qa.password")`},
		{"password written YAML-style", "[profiles.qa]\nPassword: hunter2\n", `it contains a password (key "Password")`},
		{"password line before a syntax error", "[profiles.qa]\n\"db_password\" = hunter2\nendpoint = \n", `it contains a password (key "profiles.qa.db_password")`},
		{"comment naming a password", "# the password is in the keychain\n[profiles.qa\n", "toml: line 3: expected '.' or ']' to end table name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.toml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter") {
				t.Error("the error repeats the password")
			}
		})
	}
}

func TestGradeSetting(t *testing.T) {
	f, err := Parse([]byte("[profiles.qa]\ngrade = \"kg\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := f.Profile("qa"); p.Grade != "kg" {
		t.Errorf("grade %q, want kept as written (the form reads it)", p.Grade)
	}
}

func TestDefaultProfileChoice(t *testing.T) {
	tests := []struct {
		name, toml, want, err string
	}{
		{"only profile", "[profiles.qa]\n", "qa", ""},
		{"named default", "[profiles.qa]\n[profiles.default]\n", "default", ""},
		{"ambiguous", "[profiles.qa]\n[profiles.production]\n", "", "several profiles are configured (production, qa): choose one with --profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.toml))
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.Profile("")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || p.Name != tt.want {
				t.Errorf("got %q, %v; want %q", p.Name, err, tt.want)
			}
		})
	}
}

func TestEnvironment(t *testing.T) {
	tests := []struct {
		endpoint, pid, want string
	}{
		{"http://127.0.0.1:8080/IISService", "P", "SANDBOX"},
		{"http://localhost/IISService", "T", "SANDBOX"},
		{"http://[::1]:9/", "P", "SANDBOX"},
		// An https tunnel on this computer may lead to the real registry.
		{"https://127.0.0.1:8443/IISService", "P", "PRODUCTION"},
		{"https://localhost:8443/IISService", "T", "QA/TEST"},
		{"https://qa.example/", "T", "QA/TEST"},
		{"https://prod.example/", "P", "PRODUCTION"},
		{"", "P", "PRODUCTION"},
	}
	for _, tt := range tests {
		if got := (Profile{Endpoint: tt.endpoint, ProcessingID: tt.pid}).Environment(); got != tt.want {
			t.Errorf("Environment(%q, %s) = %q, want %q", tt.endpoint, tt.pid, got, tt.want)
		}
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg")
	p, err := DefaultPath()
	if err != nil || p != "/tmp/xdg/ctwiz-nurse/config.toml" {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
}
