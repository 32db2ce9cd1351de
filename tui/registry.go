package tui

import (
	"context"
	"log/slog"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

// Registry is what the interface asks of a registry client. *query.Client
// satisfies it; tests use a fake.
type Registry interface {
	Find(ctx context.Context, d hl7.Demographics) (*hl7.Response, error)
	Fetch(ctx context.Context, candidate hl7.Patient, d hl7.Demographics) (*hl7.Response, error)
	Ping(ctx context.Context) (string, error)
	// SamePassword reports whether typed is the password the client
	// sends, compared in constant time, sending nothing: the lock's
	// check.
	SamePassword(typed string) bool
}

// DefaultIdleLock is how long the interface waits without a key press
// before it drops patient data and locks.
const DefaultIdleLock = 10 * time.Minute

// Options configure the interface. cmd/ctwiz-nurse fills them from flags,
// the configuration file and the keychain.
type Options struct {
	Profile     string // profile name shown in the header
	Environment string // SANDBOX, QA/TEST or PRODUCTION: the header badge
	User        string
	Facility    string

	// Registry answers queries. When nil the login screen comes first and
	// Connect builds one from what the nurse types.
	Registry Registry
	// Connect builds a registry client from credentials typed at the login
	// screen; nil disables the login screen.
	Connect Connector
	// Store keeps credentials typed at the login screen in the keychain,
	// once CT WiZ has answered a query sent with them; nil keeps them for
	// this session only (no keychain can be reached).
	Store CredentialStore
	// LoginNote, when set, is why the login screen asks (for example, the
	// keychain cannot be reached) instead of "no credentials stored".
	LoginNote string

	// Grade is the profile's default grade for the school-entry check
	// (PK, K, 1-12; config validated it), typed into the search form's
	// Grade field; "" leaves it empty.
	Grade string
	// CheckDay is the day of the school-entry check; zero is today (Now).
	// The built-in sandbox's fixed today (CTWIZ_SANDBOX_TODAY) sets it, so
	// its students are checked on the day their records stand.
	CheckDay time.Time

	// UnlockHint, when set, is shown on the lock screen under the
	// password field: the built-in sandbox's password, which the README
	// gives, so trainees unlock as nurses do.
	UnlockHint string
	// Roster, when set, opens the interface on this class list's roster
	// screen (the roster command at a terminal).
	Roster *RosterJob
	// RosterStart starts Roster's run without asking (--yes).
	RosterStart bool
	// RosterPace is the pause between queries of a class list opened
	// from the search form; 0 means DefaultRosterPace.
	RosterPace time.Duration

	IdleLock time.Duration // 0 means DefaultIdleLock
	Printer  Printer       // nil disables printing
	Logger   *slog.Logger  // nil discards; never given patient data
	NoColor  bool          // NO_COLOR: styles use no colour at all
	Now      func() time.Time
}

// The interface reaches CT WiZ only through the query package.
var _ Registry = (*query.Client)(nil)
