package credentials

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name every entry is stored under.
const Service = "ctwiz-nurse"

// DefaultProfile names the entry used when no profile is given.
const DefaultProfile = "default"

// DefaultTimeout bounds one keychain operation. A locked Secret Service
// with no way to show its unlock prompt never answers, and a nurse's
// command must not hang on it; the limit leaves time to type an unlock
// password when a prompt does appear.
const DefaultTimeout = 60 * time.Second

// MaxPasswordLength is the longest password, in bytes, that login and
// the interface's login screen take; no real password comes near it.
const MaxPasswordLength = 4096

// indexUser is the keychain entry listing the stored profiles, since
// go-keyring cannot enumerate entries. The colon keeps it apart from every
// valid profile name.
const indexUser = ":profiles"

// ErrNotFound is returned (wrapped) when a profile has no stored entry.
var ErrNotFound = errors.New("no credentials stored in the keychain")

// ErrUnavailable is returned (wrapped, see UnavailableError) when no
// keychain can be reached or it stays locked.
var ErrUnavailable = errors.New("the keychain is not available")

// Credentials are one nurse's CT WiZ account details. FacilityID may be
// empty when the configuration profile supplies it.
type Credentials struct {
	Username   string
	Password   string
	FacilityID string
}

// String never shows the password, so printing a Credentials value by
// mistake (%v, %+v, a panic value), or a struct holding it in an exported
// field, cannot leak it. fmt cannot call methods on unexported fields: a
// struct that keeps Credentials in one must not be printed.
func (c Credentials) String() string {
	return fmt.Sprintf("{Username:%s Password:%s FacilityID:%s}", c.Username, redacted(c.Password), c.FacilityID)
}

// GoString covers %#v the same way.
func (c Credentials) GoString() string {
	return fmt.Sprintf("credentials.Credentials{Username:%q, Password:%q, FacilityID:%q}", c.Username, redacted(c.Password), c.FacilityID)
}

// LogValue covers log/slog.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("username", c.Username), slog.String("password", redacted(c.Password)), slog.String("facility_id", c.FacilityID))
}

// MarshalJSON covers encoding/json; the keychain payload uses its own type.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"username": c.Username, "password": redacted(c.Password), "facility_id": c.FacilityID})
}

func redacted(p string) string {
	if p == "" {
		return ""
	}
	return "[redacted]"
}

// secret is what the keychain holds for one profile.
type secret struct {
	Version    int    `json:"v"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	FacilityID string `json:"facility_id,omitempty"`
}

// UnavailableError says that the keychain could not be used and what the
// nurse can do about it. errors.Is(err, ErrUnavailable) is true.
type UnavailableError struct {
	Op  string // "read", "store", "delete", "list"
	Err error  // the keychain's own error, for the analyst
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("cannot %s credentials: %s (%v). %s", e.Op, unavailable(), e.Err, Advice())
}

func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }
func (e *UnavailableError) Unwrap() error        { return e.Err }

// Advice tells the nurse how to get a working keychain, or how to go
// without one for this run.
func Advice() string {
	var fix string
	switch runtime.GOOS {
	case "darwin":
		fix = "Unlock the login keychain in Keychain Access"
	case "windows":
		fix = "Check that Windows Credential Manager is running"
	default:
		fix = "Install and unlock a Secret Service keyring (gnome-keyring, or KeePassXC with Secret Service integration enabled) in a desktop session"
	}
	return fix + ", or set CTWIZ_USERNAME, CTWIZ_PASSWORD and CTWIZ_FACILITY_ID for this run; the password is never written to a file."
}

func unavailable() string {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS Keychain is not available or is locked"
	case "windows":
		return "Windows Credential Manager is not available"
	default:
		return "no Secret Service keyring is available, or it is locked"
	}
}

var errTimeout = errors.New("no answer: it may be locked with no way to ask for its password")

var errStillWaiting = errors.New("no answer yet to an earlier request: it may be locked with no way to ask for its password")

// blocked counts keychain calls that timed out and have not returned. While
// one hangs, the next would too: the interface asks up to three times in a
// row (at start, to store what the login screen typed, to connect), and a
// nurse must not wait the full timeout for each.
var blocked atomic.Int32

// noBusAddress is what DBUS_SESSION_BUS_ADDRESS is set to when there is
// no session bus (see preventBusAutolaunch); errNoBus explains it.
const noBusAddress = "disabled:"

var errNoBus = errors.New("there is no D-Bus session bus: this is not a desktop session and DBUS_SESSION_BUS_ADDRESS is not set")

// Store reads and writes credentials in the operating system's keychain.
// The zero value uses Service and DefaultTimeout.
type Store struct {
	Service string        // keychain service name; "" means Service
	Timeout time.Duration // per operation; 0 means DefaultTimeout
}

func (s Store) service() string {
	if s.Service == "" {
		return Service
	}
	return s.Service
}

// ValidProfile reports whether name can name a keychain entry: 1 to 64
// bytes of printable characters, not starting with ':' (kept for the
// index entry).
func ValidProfile(name string) error {
	ok := name != "" && len(name) <= 64 && !strings.HasPrefix(name, ":") && utf8.ValidString(name)
	for _, r := range name {
		if !unicode.IsPrint(r) {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("profile name %q is not valid: use 1 to 64 printable characters, not starting with ':'", name)
	}
	return nil
}

func profileName(p string) (string, error) {
	if p == "" {
		return DefaultProfile, nil
	}
	return p, ValidProfile(p)
}

// Get returns the credentials stored for profile ("" is DefaultProfile).
func (s Store) Get(profile string) (Credentials, error) {
	name, err := profileName(profile)
	if err != nil {
		return Credentials{}, err
	}
	raw, err := s.get("read", name)
	if errors.Is(err, keyring.ErrNotFound) {
		return Credentials{}, fmt.Errorf("%w for profile %q", ErrNotFound, name)
	}
	if err != nil {
		return Credentials{}, err
	}
	var sec secret
	// The decoder's message could quote part of the payload: never show it.
	if json.Unmarshal([]byte(raw), &sec) != nil || sec.Version != 1 || sec.Username == "" || sec.Password == "" {
		return Credentials{}, fmt.Errorf("the keychain entry for profile %q is damaged or was not written by ctwiz-nurse: run 'ctwiz-nurse login --profile %s' to replace it", name, name)
	}
	return Credentials{Username: sec.Username, Password: sec.Password, FacilityID: sec.FacilityID}, nil
}

// Set stores c for profile, replacing any earlier entry.
func (s Store) Set(profile string, c Credentials) error {
	name, err := profileName(profile)
	if err != nil {
		return err
	}
	if c.Username == "" || c.Password == "" {
		return errors.New("both a username and a password are needed to store credentials")
	}
	payload, err := json.Marshal(secret{Version: 1, Username: c.Username, Password: c.Password, FacilityID: c.FacilityID})
	if err != nil {
		return fmt.Errorf("encoding credentials: %w", err)
	}
	if err := s.do("store", c.Password, func() error { return keyring.Set(s.service(), name, string(payload)) }); err != nil {
		return err
	}
	return s.updateIndex(func(names []string) []string {
		if slices.Contains(names, name) {
			return names
		}
		return append(names, name)
	})
}

// Delete removes the entry of profile. It wraps ErrNotFound when there was
// none.
func (s Store) Delete(profile string) error {
	name, err := profileName(profile)
	if err != nil {
		return err
	}
	err = s.do("delete", "", func() error { return keyring.Delete(s.service(), name) })
	if errors.Is(err, keyring.ErrNotFound) {
		err = fmt.Errorf("%w for profile %q", ErrNotFound, name)
	}
	// Keep the index right even when the entry was already gone.
	if ierr := s.updateIndex(func(names []string) []string {
		return slices.DeleteFunc(names, func(n string) bool { return n == name })
	}); err == nil {
		err = ierr
	}
	return err
}

// Profiles lists the profiles that have a stored entry, sorted.
func (s Store) Profiles() ([]string, error) {
	names, err := s.index("list")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		_, err := s.get("list", n)
		if errors.Is(err, keyring.ErrNotFound) {
			continue // removed outside ctwiz-nurse
		}
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

func (s Store) index(op string) ([]string, error) {
	raw, err := s.get(op, indexUser)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	if json.Unmarshal([]byte(raw), &names) != nil {
		return nil, nil // rebuilt by the next login
	}
	return slices.DeleteFunc(names, func(n string) bool { return ValidProfile(n) != nil }), nil
}

func (s Store) updateIndex(change func([]string) []string) error {
	names, err := s.index("list")
	if err != nil {
		return err
	}
	names = change(names)
	slices.Sort(names)
	if len(names) == 0 {
		err := s.do("delete", "", func() error { return keyring.Delete(s.service(), indexUser) })
		if errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		return err
	}
	b, _ := json.Marshal(names)
	return s.do("store", "", func() error { return keyring.Set(s.service(), indexUser, string(b)) })
}

func (s Store) get(op, user string) (string, error) {
	var v string
	err := s.do(op, "", func() error {
		var err error
		v, err = keyring.Get(s.service(), user)
		return err
	})
	return v, err
}

// do runs one keychain call with a time limit and turns failures other
// than "not found" into an UnavailableError. password, when not empty, is
// scrubbed from the keychain's error text.
func (s Store) do(op, password string, f func() error) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if blocked.Load() > 0 {
		return &UnavailableError{Op: op, Err: errStillWaiting}
	}
	noBus := preventBusAutolaunch() || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == noBusAddress
	done := make(chan error, 1)
	go func() { done <- f() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var err error
	select {
	case err = <-done:
	case <-timer.C:
		// The call stays blocked on D-Bus and cannot be cancelled; until
		// it returns, later calls fail at once.
		blocked.Add(1)
		go func() { <-done; blocked.Add(-1) }()
		return &UnavailableError{Op: op, Err: errTimeout}
	}
	switch {
	case err == nil, errors.Is(err, keyring.ErrNotFound):
		return err
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return errors.New("the credentials are too long for the keychain")
	}
	if noBus {
		err = errNoBus
	}
	return &UnavailableError{Op: op, Err: scrubbed{err, password}}
}

// scrubbed hides a password should a keychain error ever quote it.
type scrubbed struct {
	err      error
	password string
}

func (s scrubbed) Error() string {
	msg := s.err.Error()
	if s.password != "" {
		msg = strings.ReplaceAll(msg, s.password, "[redacted]")
	}
	return msg
}

func (s scrubbed) Unwrap() error { return s.err }
