package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
)

// keychain is the store every command uses; tests swap the go-keyring
// provider with keyring.MockInit rather than this value.
var keychain = credentials.Store{}

// Environment variables for automation, read when the keychain has no
// entry for the profile.
const (
	envUsername   = "CTWIZ_USERNAME"
	envPassword   = "CTWIZ_PASSWORD"
	envFacilityID = "CTWIZ_FACILITY_ID"
)

// Where credentials came from, besides the keychain entry of a profile.
const (
	sourceEnvironment = "environment (" + envUsername + ", " + envPassword + ")"
	sourceSandbox     = "the built-in sandbox"
	sourceTyped       = "the login screen"
)

// relogin is how the nurse corrects an account CT WiZ refused, by where
// it came from (resolveCredentials' source): the keychain entry of the
// profile, or the variables; "" leaves query's general advice.
func relogin(source, profile string) string {
	switch source {
	case sourceEnvironment:
		return "correct " + envUsername + ", " + envPassword + " and " + envFacilityID + ", from which this run took them"
	case sourceSandbox, sourceTyped, "":
		return ""
	}
	if profile == "" {
		profile = credentials.DefaultProfile
	}
	return "store them again with 'ctwiz-nurse login --profile " + profile + "'"
}

// takeSecretEnv is the process's getenv for main: it reads CTWIZ_PASSWORD
// once and removes it from the environment that programs started later
// inherit (lp, xdg-open and the PDF viewer or browser it opens, which can
// outlive ctwiz-nurse by hours). The returned function still answers it.
// It also removes Bubble Tea's TEA_TRACE and TEA_DEBUG, with which the
// interface would write every key typed (the password at the login
// screen) and every screen drawn (students' records) to a file.
func takeSecretEnv() func(string) string {
	for _, k := range []string{"TEA_TRACE", "TEA_DEBUG"} {
		os.Unsetenv(k)
	}
	password, ok := os.LookupEnv(envPassword)
	if !ok {
		return os.Getenv
	}
	os.Unsetenv(envPassword)
	return func(k string) string {
		if k == envPassword {
			return password
		}
		return os.Getenv(k)
	}
}

// resolveCredentials finds the CT WiZ account for profile (the config
// profile's name; "" means credentials.DefaultProfile): the keychain entry
// first, then CTWIZ_USERNAME, CTWIZ_PASSWORD and CTWIZ_FACILITY_ID. The
// string says where they came from, for messages; it never holds the
// password. FacilityID may be empty: callers then use the profile's.
// Errors wrap credentials.ErrNotFound or credentials.ErrUnavailable when
// that is the reason, and say what the nurse can do.
func resolveCredentials(e *env, profile string) (credentials.Credentials, string, error) {
	name := profile
	if name == "" {
		name = credentials.DefaultProfile
	}
	done := keychainWait(e, "give the CT WiZ credentials of profile "+name)
	c, kerr := keychain.Get(name)
	done()
	if kerr == nil {
		return c, fmt.Sprintf("keychain (profile %s)", name), nil
	}

	u, p, f := e.getenv(envUsername), e.getenv(envPassword), e.getenv(envFacilityID)
	if u != "" && p != "" && !sendable(p) {
		return credentials.Credentials{}, "", fmt.Errorf("%s holds control characters or bytes that are not UTF-8 text, which CT WiZ's web service cannot carry: set it to the password alone, as UTF-8", envPassword)
	}
	if u != "" && p != "" {
		return credentials.Credentials{Username: u, Password: p, FacilityID: f}, sourceEnvironment, nil
	}
	if u != "" || p != "" || f != "" {
		var missing []string
		if u == "" {
			missing = append(missing, envUsername)
		}
		if p == "" {
			missing = append(missing, envPassword)
		}
		return credentials.Credentials{}, "", fmt.Errorf("the CTWIZ_* environment variables are incomplete: set %s too, or unset them and run 'ctwiz-nurse login --profile %s'", strings.Join(missing, " and "), name)
	}

	switch {
	case errors.Is(kerr, credentials.ErrNotFound):
		return credentials.Credentials{}, "", fmt.Errorf("no CT WiZ credentials for profile %q: run 'ctwiz-nurse login --profile %s' to store them in the keychain, or set %s, %s and %s for this run: %w",
			name, name, envUsername, envPassword, envFacilityID, credentials.ErrNotFound)
	case errors.Is(kerr, credentials.ErrUnavailable):
		return credentials.Credentials{}, "", kerr // already says what to do, including the variables
	default:
		return credentials.Credentials{}, "", kerr
	}
}

// keychainNotice is how long a keychain call runs quietly: a locked
// keyring may be showing its unlock prompt, or may never answer, and the
// nurse should not look at a silent terminal until the keychain's timeout.
var keychainNotice = time.Second

// keychainWait starts the notice for a keychain call about what (e.g.
// "read the CT WiZ credentials of profile qa"); the returned function
// ends it, after which nothing more is written.
func keychainWait(e *env, what string) (done func()) {
	var mu sync.Mutex
	waiting := true
	limit := keychain.Timeout
	if limit <= 0 {
		limit = credentials.DefaultTimeout
	}
	notice := time.AfterFunc(keychainNotice, func() {
		mu.Lock()
		defer mu.Unlock()
		if waiting {
			fmt.Fprintf(e.stderr, "Waiting for the keychain to %s: unlock it if it asks for its password (giving up after %v)...\n", what, limit)
		}
	})
	return func() {
		mu.Lock()
		waiting = false
		mu.Unlock()
		notice.Stop()
	}
}

// sendable reports whether the SOAP envelope carries password unchanged.
// XML cannot hold most control characters, nor bytes that are not UTF-8,
// and the encoder replaces them: such a password would always be refused,
// with nothing to say why. Typical causes are an arrow or function key
// pressed at the password prompt and a terminal not set to UTF-8.
func sendable(password string) bool {
	req := cdcsoap.Request{Operation: cdcsoap.OpSubmitSingleMessage, Password: password}
	back, _, err := cdcsoap.DecodeRequest(bytes.NewReader(req.AppendXML(nil, cdcsoap.SOAP12)))
	return err == nil && back.Password == password
}
