package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// Defaults applied to every profile.
const (
	DefaultReceivingFacility = "CT0000" // how CT WiZ identifies itself in MSH-6
	DefaultProcessingID      = "P"
	DefaultQueryProfile      = "Z44"
	DefaultCandidateLimit    = 10
	DefaultConnectTimeout    = 15 * time.Second
	DefaultTimeout           = 60 * time.Second
	DefaultIdleLock          = 10 * time.Minute
	DefaultPace              = time.Second // the roster's pause between queries
	maxCandidateLimit        = 100
)

// File is a loaded configuration file.
type File struct {
	Path           string             `toml:"-"`
	DefaultProfile string             `toml:"default_profile"`
	Profiles       map[string]Profile `toml:"profiles"`
}

// Profile is one named set of settings. Credentials other than the
// username live in the keychain under the same name.
type Profile struct {
	Name              string        `toml:"-"`
	Endpoint          string        `toml:"endpoint"`
	FacilityID        string        `toml:"facility_id"`
	Username          string        `toml:"username"`
	SendingApp        string        `toml:"sending_application"`   // MSH-3
	SendingFacility   string        `toml:"sending_facility"`      // MSH-4; the facility ID when empty
	ReceivingApp      string        `toml:"receiving_application"` // MSH-5
	ReceivingFacility string        `toml:"receiving_facility"`    // MSH-6
	ProcessingID      string        `toml:"processing_id"`         // MSH-11: P production, T training/test
	QueryProfile      string        `toml:"query_profile"`         // Z44 or Z34
	SearchProfile     string        `toml:"search_profile"`        // Z34 for registries that never list candidates for Z44
	CandidateLimit    int           `toml:"candidate_limit"`
	ConnectTimeout    time.Duration `toml:"connect_timeout"` // each connection and TLS handshake
	Timeout           time.Duration `toml:"timeout"`         // a whole query, retries included
	CAFile            string        `toml:"ca_file"`
	IdleLock          time.Duration `toml:"idle_lock"`
	Printer           string        `toml:"printer"`
	// Grade is the search form's default grade for the school-entry check
	// (PK, K, 1-12); empty for none.
	Grade string `toml:"grade"`
	// The roster's summary and letters to parents: the school, and the
	// nurse who signs the letters (letters need school_name and
	// nurse_name; the phone is left out when empty).
	SchoolName string `toml:"school_name"`
	NurseName  string `toml:"nurse_name"`
	NursePhone string `toml:"nurse_phone"`
	// Pace is the roster's pause between queries; --pace overrides it.
	// Unset (or "0s") is DefaultPace: a pause of nothing is asked for on
	// the command line, each time.
	Pace time.Duration `toml:"pace"`
}

// ErrNoProfile matches (errors.Is) Profile's error when the named
// profile is not in the file.
var ErrNoProfile = errors.New("no such profile")

// noProfileError says which profiles there are; it is an ErrNoProfile.
type noProfileError struct{ msg string }

func (e *noProfileError) Error() string        { return e.msg }
func (e *noProfileError) Is(target error) bool { return target == ErrNoProfile }

// NewProfile is a profile named name with every default applied and no
// endpoint: what --profile P --endpoint URL uses when the file has no
// section for P (its credentials are still the keychain entry P).
func NewProfile(name string) Profile {
	p := Profile{Name: name}
	p.applyDefaults()
	return p
}

// DefaultPath is os.UserConfigDir()/ctwiz-nurse/config.toml.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the configuration folder: %w", err)
	}
	return filepath.Join(dir, "ctwiz-nurse", "config.toml"), nil
}

// Load reads and checks the file at path. A missing file gives an error
// wrapping fs.ErrNotExist; callers using the default path may treat that
// as an empty configuration.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("configuration file %s does not exist: %w", path, err)
		}
		return nil, fmt.Errorf("cannot read the configuration file: %w", err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("configuration file %s: %w", path, err)
	}
	f.Path = path
	return f, nil
}

// Parse reads and checks a configuration from TOML text.
func Parse(data []byte) (*File, error) {
	var f File
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		// A syntax error quotes the text around it, which on a password
		// line is part of the password: refuse the password instead.
		if pe, ok := errors.AsType[toml.ParseError](err); ok && strings.Contains(strings.ToLower(pe.LastKey), "password") {
			return nil, passwordRefusal(pe.LastKey)
		}
		if key, ok := passwordLine(data); ok {
			return nil, passwordRefusal(key)
		}
		return nil, err
	}
	// Look at every key, known or not, so a password is caught wherever it
	// was put.
	for _, k := range md.Keys() {
		if strings.Contains(strings.ToLower(k[len(k)-1]), "password") {
			return nil, passwordRefusal(k.String())
		}
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("unknown setting %q (see the README for the settings a profile takes)", und[0].String())
	}
	for name, p := range f.Profiles {
		for _, key := range []string{"connect_timeout", "timeout", "idle_lock", "pace"} {
			if md.Type("profiles", name, key) == "Integer" {
				return nil, fmt.Errorf("profile %q: %s must be a duration in quotes such as \"30s\" or \"10m\"", name, key)
			}
		}
		p.Name = name
		p.applyDefaults()
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("profile %q: %w", name, err)
		}
		f.Profiles[name] = p
	}
	if f.DefaultProfile != "" {
		if _, ok := f.Profiles[f.DefaultProfile]; !ok {
			return nil, fmt.Errorf("default_profile %q is not one of the profiles (%s)", f.DefaultProfile, strings.Join(f.Names(), ", "))
		}
	}
	return &f, nil
}

// passwordRefusal is the error for a file holding a password under key.
func passwordRefusal(key string) error {
	return fmt.Errorf("it contains a password (key %q). Passwords are never kept in files: delete that line, "+
		"then store the password in the system keychain with 'ctwiz-nurse login --profile NAME' "+
		"(or set CTWIZ_PASSWORD for automation), and consider changing the password since it was saved on disk", key)
}

// passwordLine finds a line that is not a comment whose key (the text
// before "=", or ":" for a line written YAML-style) names a password, in
// a file TOML cannot read.
func passwordLine(data []byte) (string, bool) {
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue
		}
		key, _, found := strings.Cut(line, "=")
		if !found {
			key, _, found = strings.Cut(line, ":")
		}
		if key = strings.Trim(strings.TrimSpace(key), `"'`); found && strings.Contains(strings.ToLower(key), "password") {
			return key, true
		}
	}
	return "", false
}

// Names lists the profiles, sorted.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Profile returns the named profile. "" is the default profile:
// default_profile, else the only profile, else one named "default"; with
// no profiles at all it is a profile of defaults (for --endpoint and the
// sandbox). f may be nil (no configuration file).
func (f *File) Profile(name string) (Profile, error) {
	if f == nil || len(f.Profiles) == 0 {
		if name != "" {
			return Profile{}, &noProfileError{fmt.Sprintf("there is no profile %q: no profiles are configured (see the README for config.toml)", name)}
		}
		var p Profile
		p.applyDefaults()
		return p, nil
	}
	if name == "" {
		switch {
		case f.DefaultProfile != "":
			name = f.DefaultProfile
		case len(f.Profiles) == 1:
			name = f.Names()[0]
		default:
			if _, ok := f.Profiles["default"]; !ok {
				return Profile{}, fmt.Errorf("several profiles are configured (%s): choose one with --profile, or set default_profile in %s",
					strings.Join(f.Names(), ", "), f.Path)
			}
			name = "default"
		}
	}
	p, ok := f.Profiles[name]
	if !ok {
		return Profile{}, &noProfileError{fmt.Sprintf("there is no profile %q; configured profiles: %s", name, strings.Join(f.Names(), ", "))}
	}
	return p, nil
}

func (p *Profile) applyDefaults() {
	p.ProcessingID = strings.ToUpper(strings.TrimSpace(p.ProcessingID))
	p.QueryProfile = strings.ToUpper(strings.TrimSpace(p.QueryProfile))
	p.SearchProfile = strings.ToUpper(strings.TrimSpace(p.SearchProfile))
	if p.ReceivingFacility == "" {
		p.ReceivingFacility = DefaultReceivingFacility
	}
	if p.ProcessingID == "" {
		p.ProcessingID = DefaultProcessingID
	}
	if p.QueryProfile == "" {
		p.QueryProfile = DefaultQueryProfile
	}
	if p.CandidateLimit == 0 {
		p.CandidateLimit = DefaultCandidateLimit
	}
	if p.Timeout == 0 {
		p.Timeout = DefaultTimeout
	}
	if p.ConnectTimeout == 0 {
		p.ConnectTimeout = min(DefaultConnectTimeout, p.Timeout)
	}
	if p.IdleLock == 0 {
		p.IdleLock = DefaultIdleLock
	}
	if p.Pace == 0 {
		p.Pace = DefaultPace
	}
}

// CheckEndpoint checks that raw is a web address a CT WiZ endpoint can
// be: http or https, a host, and neither credentials nor a query string
// (CT WiZ's address has none, and a password typed there would travel in
// every request and show in every message). Its errors never quote the
// credentials or the query. profile names the profile to store a
// password in.
func CheckEndpoint(raw, profile string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		// Not echoed: a mistyped URL may hold a password.
		return errors.New("endpoint is not a URL such as https://host/path")
	case u.User != nil:
		if _, ok := u.User.Password(); ok {
			return fmt.Errorf("the endpoint contains a password. Passwords are never kept in files or flags: remove it from the URL, "+
				"then store the password with 'ctwiz-nurse login --profile %s', and consider changing it since it was saved or typed in plain text", profile)
		}
		return fmt.Errorf("endpoint %s must not contain a username: set username in the profile", EndpointForDisplay(u))
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return fmt.Errorf("the endpoint %s is followed by a query string (from \"?\" or \"#\"), which CT WiZ's web service address never has, "+
			"and which is not shown here in case it holds a password: remove it. If it held your password, consider changing it, and store it with "+
			"'ctwiz-nurse login --profile %s'", EndpointForDisplay(u), profile)
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("endpoint %q is not an https:// URL", EndpointForDisplay(u))
	}
	return nil
}

// EndpointForDisplay is u without its password, query string and
// fragment: what may be shown of an endpoint.
func EndpointForDisplay(u *url.URL) string {
	c := *u
	c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
	return c.Redacted()
}

// Validate checks the settings that can be checked without the network.
// An empty endpoint is allowed here: --endpoint or --sandbox may supply it.
func (p Profile) Validate() error {
	if p.Endpoint != "" {
		if err := CheckEndpoint(p.Endpoint, p.Name); err != nil {
			return err
		}
	}
	switch {
	case p.ProcessingID != "P" && p.ProcessingID != "T":
		return fmt.Errorf("processing_id %q must be P (production) or T (training/test)", p.ProcessingID)
	case p.QueryProfile != "Z44" && p.QueryProfile != "Z34":
		return fmt.Errorf("query_profile %q must be Z44 (history and forecast) or Z34 (history)", p.QueryProfile)
	case p.SearchProfile != "" && p.SearchProfile != "Z34" && p.SearchProfile != "Z44":
		return fmt.Errorf("search_profile %q must be Z34, Z44 or left out", p.SearchProfile)
	case p.CandidateLimit < 1 || p.CandidateLimit > maxCandidateLimit:
		return fmt.Errorf("candidate_limit %d must be between 1 and %d", p.CandidateLimit, maxCandidateLimit)
	case p.ConnectTimeout < 0 || p.Timeout < 0 || p.IdleLock < 0:
		return errors.New("timeouts must be positive durations such as \"15s\"")
	case p.Pace < 0:
		return errors.New("pace must be a positive duration such as \"2s\"")
	case p.ConnectTimeout > p.Timeout:
		return fmt.Errorf("connect_timeout %v is longer than timeout %v", p.ConnectTimeout, p.Timeout)
	}
	if p.Grade != "" {
		if _, err := schoolentry.ParseGrade(p.Grade); err != nil {
			return err
		}
	}
	if p.CAFile != "" {
		if _, err := os.Stat(p.CAFile); err != nil {
			return fmt.Errorf("ca_file: %w", err)
		}
	}
	return nil
}

// Environment says which CT WiZ the profile talks to, for the banner the
// nurse sees and the printout: "SANDBOX" for a plain http:// loopback
// endpoint (the built-in sandbox; an https:// one on this computer may be
// a tunnel to the real registry), "QA/TEST" for processing ID T, else
// "PRODUCTION".
func (p Profile) Environment() string {
	if u, err := url.Parse(p.Endpoint); err == nil && u.Scheme == "http" && IsLoopback(u.Hostname()) {
		return "SANDBOX"
	}
	if p.ProcessingID == "T" {
		return "QA/TEST"
	}
	return "PRODUCTION"
}

// IsLoopback reports whether host (a name or an address) is this machine:
// "localhost" or a loopback IP. Only such endpoints may use plain http.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
