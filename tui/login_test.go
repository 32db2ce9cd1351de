package tui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

// signIn types an account at the login screen and signs in.
func signIn(t *testing.T, m Model, user, facility, password string) Model {
	t.Helper()
	if m.Screen() != "login" {
		t.Fatalf("screen %s, want the login", m.Screen())
	}
	m = typeText(t, m, user)
	m = press(t, m, "tab")
	m = typeText(t, m, facility)
	m = press(t, m, "tab")
	m = typeText(t, m, password)
	v := plain(m)
	if strings.Contains(v, password) {
		t.Fatalf("the password is shown:\n%s", v)
	}
	mustContain(t, v, "Sign in to CT WiZ", strings.Repeat("•", len(password)))
	return press(t, m, "enter")
}

// TestLoginStoresOnlyAcceptedCredentials: what is typed at the login
// screen is used at once but stored only when CT WiZ has answered a query
// sent with it: any HL7 reply (a record, Z33 not found, a rejection)
// shows the account is right; a SecurityFault sends her back to the login
// screen with nothing stored, and a query that brought no reply proves
// nothing. Stored once, whatever follows (issue 11.3).
func TestLoginStoresOnlyAcceptedCredentials(t *testing.T) {
	authErr := &query.Error{Kind: query.KindAuth, Err: errors.New("SecurityFault")}
	timeout := &query.Error{Kind: query.KindTimeout, Retryable: true, Err: errors.New("deadline")}
	tests := []struct {
		name   string
		reply  *hl7.Response
		err    error
		screen string
		stored bool
	}{
		{"a record", loadResponse(t, "record_webiz.json"), nil, "record", true},
		{"Z33 not found", &hl7.Response{Outcome: hl7.OutcomeNotFound, Profile: "Z33", Status: "NF"}, nil, "form", true},
		{"a rejection", &hl7.Response{Outcome: hl7.OutcomeRejected}, nil, "error", true},
		{"SecurityFault", nil, authErr, "login", false},
		{"no reply", nil, timeout, "error", false},
	}
	want := credentials.Credentials{Username: "nurse.two", FacilityID: "SCH002", Password: "s3cret?q"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{}
			reg := &fakeRegistry{find: func(context.Context, hl7.Demographics) (*hl7.Response, error) { return tt.reply, tt.err }}
			var got credentials.Credentials
			m, _ := newTestModel(t, nil, func(o *Options) {
				o.Connect = func(c credentials.Credentials) (Registry, error) { got = c; return reg, nil }
				o.Store, o.User, o.Facility = store, "", ""
			})
			m = signIn(t, m, want.Username, want.FacilityID, want.Password)
			if m.Screen() != "form" || got != want {
				t.Fatalf("after sign-in: screen %s, connected with %v", m.Screen(), got)
			}
			mustContain(t, plain(m), "once CT WiZ accepts them", "user nurse.two", "facility SCH002")
			if store.sets != 0 {
				t.Fatalf("stored at sign-in, before any reply: %v", store.saved)
			}

			m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
			m = press(t, m, "enter")
			if m.Screen() != tt.screen {
				t.Fatalf("screen %s after the first search, want %s", m.Screen(), tt.screen)
			}
			if tt.stored != (store.saved["sandbox"] == want) || store.sets != map[bool]int{true: 1}[tt.stored] {
				t.Fatalf("stored %v (%d calls), want stored %v", store.saved, store.sets, tt.stored)
			}
			if tt.err == authErr {
				mustContain(t, plain(m), "refused the username, password or facility ID", "Nothing was saved in the keychain.")
				return
			}
			// The next reply stores them only if none did before: once in all.
			reg.find = answer(loadResponse(t, "record_webiz.json"))
			m = press(t, m, "esc")
			for m.Screen() != "form" {
				m = press(t, m, "esc")
			}
			m = press(t, m, "enter")
			if m.Screen() != "record" {
				t.Fatalf("the second search went to %s", m.Screen())
			}
			if store.sets != 1 || store.saved["sandbox"] != want {
				t.Errorf("after the second reply: stored %v in %d calls, want once", store.saved, store.sets)
			}
		})
	}
}

// TestLoginStoreFailsAfterAcceptance: when the keychain refuses the
// accepted credentials, the status line says so once and the session goes
// on with them.
func TestLoginStoreFailsAfterAcceptance(t *testing.T) {
	store := &fakeStore{err: &credentials.UnavailableError{Op: "store", Err: errors.New("no secret service")}}
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, nil, func(o *Options) {
		o.Connect = func(credentials.Credentials) (Registry, error) { return reg, nil }
		o.Store, o.User, o.Facility = store, "", ""
	})
	m = signIn(t, m, "nurse.two", "SCH002", "pw")
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "record" {
		t.Fatalf("screen %s: the search should work without the keychain", m.Screen())
	}
	mustContain(t, plain(m), "Signed in for this session only: cannot store credentials", "BUTTE, DIANTHE")
	m = press(t, m, "n")
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	mustNotContain(t, plain(m), "Signed in for this session only")
	if store.sets != 1 {
		t.Errorf("the keychain was asked %d times, want once", store.sets)
	}
}

// TestLoginWithoutStore: with no keychain (Store nil) the session uses the
// account and says it is kept for this session only.
func TestLoginWithoutStore(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, nil, func(o *Options) {
		o.Connect = func(credentials.Credentials) (Registry, error) { return reg, nil }
		o.User, o.Facility = "", ""
	})
	m = signIn(t, m, "nurse.two", "SCH002", "pw")
	mustContain(t, plain(m), "Signed in for this session only.")
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "record" {
		t.Errorf("screen %s", m.Screen())
	}
}

func TestLoginAsksForEveryField(t *testing.T) {
	m, _ := newTestModel(t, nil, func(o *Options) {
		o.Connect = func(credentials.Credentials) (Registry, error) {
			t.Fatal("connected without a password")
			return nil, nil
		}
	})
	m = press(t, m, "enter")
	mustContain(t, plain(m), "Please type your password.")
}

func TestSecurityFaultLeadsToLogin(t *testing.T) {
	authErr := &query.Error{Kind: query.KindAuth, Err: errors.New("SecurityFault 401")}
	reg := &fakeRegistry{find: func(context.Context, hl7.Demographics) (*hl7.Response, error) { return nil, authErr }}
	second := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg, func(o *Options) {
		o.Connect = func(credentials.Credentials) (Registry, error) { return second, nil }
		o.Store = &fakeStore{}
	})
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "login" {
		t.Fatalf("screen %s after a SecurityFault", m.Screen())
	}
	mustContain(t, plain(m), "refused the username, password or facility ID")
	if m.login.focus != lPassword || m.login.inputs[lUser].Value() != "nurse.one" {
		t.Error("the login screen should keep the user and ask for the password")
	}
	m = typeText(t, m, "new-password")
	m = press(t, m, "enter")
	if m.Screen() != "form" || m.form.value(fLast) != "Butte" {
		t.Fatalf("after signing in again: screen %s, form %q", m.Screen(), m.form.value(fLast))
	}
	m = press(t, m, "enter")
	if m.Screen() != "record" {
		t.Errorf("the repeated search went to %s", m.Screen())
	}
}

func TestConnectFailureStaysOnLogin(t *testing.T) {
	m, _ := newTestModel(t, nil, func(o *Options) {
		o.Connect = func(credentials.Credentials) (Registry, error) {
			return nil, errors.New("the endpoint is not a valid URL")
		}
	})
	m = typeText(t, m, "pw")
	m = press(t, m, "enter")
	if m.Screen() != "login" {
		t.Fatalf("screen %s", m.Screen())
	}
	mustContain(t, plain(m), "not a valid URL")
	if m.login.inputs[lPassword].Value() != "" {
		t.Error("the password is kept after a failure")
	}
}

// TestAuthErrorSpeaksToTheLoginScreen: the login screen follows a refused
// sign-in, so the text quotes CT WiZ but not the command-line advice.
func TestAuthErrorSpeaksToTheLoginScreen(t *testing.T) {
	tests := []struct {
		name  string
		fault *cdcsoap.Fault
		want  string
	}{
		{"with the registry's detail", &cdcsoap.Fault{Kind: cdcsoap.SecurityFault, Text: "Security", Detail: "Invalid Username, Password or FacilityID"},
			"(CT WiZ said: Invalid Username, Password or FacilityID)"},
		{"with only the SOAP reason", &cdcsoap.Fault{Kind: cdcsoap.SecurityFault, Text: "Bad credentials"}, "(CT WiZ said: Bad credentials)"},
		{"without a fault", nil, "ask your CT WiZ administrator to check the account."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &query.Error{Kind: query.KindAuth, Fault: tt.fault, Err: errors.New("cause")}
			p := describe(err)
			if !strings.HasPrefix(p.text, "CT WiZ refused the username, password or facility ID. Type them again") ||
				!strings.HasSuffix(p.text, tt.want) {
				t.Errorf("text %q, want it to end %q", p.text, tt.want)
			}
			if strings.Contains(p.text, "ctwiz-nurse login") || strings.Contains(p.text, "cause") {
				t.Errorf("text %q repeats the command-line advice or the technical cause", p.text)
			}
		})
	}
}

func TestDescribeQueryErrors(t *testing.T) {
	tests := []struct {
		kind        query.Kind
		title       string
		auth, retry bool
	}{
		{query.KindAuth, "CT WiZ refused your sign-in", true, false},
		{query.KindTimeout, "CT WiZ did not answer in time", false, true},
		{query.KindRefused, "Cannot reach CT WiZ", false, true},
		{query.KindTLS, "Cannot reach CT WiZ", false, false},
		{query.KindBadReply, "CT WiZ sent a reply that cannot be used", false, false},
		{query.KindConfig, "The configuration needs fixing", false, false},
		{query.KindFault, "The query did not work", false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			p := describe(&query.Error{Kind: tt.kind, Retryable: tt.retry, Err: errors.New("cause")})
			if p.title != tt.title || p.auth != tt.auth || p.retry != tt.retry || p.kind != string(tt.kind) {
				t.Errorf("got %+v", p)
			}
		})
	}
}

// TestLoginWithoutKeychain: when cmd says the keychain cannot be reached,
// the login screen says so instead of promising to keep the credentials,
// and still after the registry refuses them.
func TestLoginWithoutKeychain(t *testing.T) {
	const note = "The keychain cannot be reached, so what you type here is used for this session only."
	authErr := &query.Error{Kind: query.KindAuth, Err: errors.New("SecurityFault")}
	refusing := &fakeRegistry{find: func(context.Context, hl7.Demographics) (*hl7.Response, error) { return nil, authErr }}
	m, _ := newTestModel(t, nil, func(o *Options) {
		o.LoginNote = note
		o.Connect = func(credentials.Credentials) (Registry, error) { return refusing, nil }
	})
	if m.Screen() != "login" {
		t.Fatalf("screen %s", m.Screen())
	}
	mustContain(t, plain(m), "The keychain cannot be reached, so what you type here is used")
	mustNotContain(t, plain(m), "No CT WiZ credentials are stored", "this computer's keychain")
	m = typeText(t, m, "pw")
	m = press(t, m, "enter")
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "login" {
		t.Fatalf("screen %s after a refusal", m.Screen())
	}
	mustContain(t, plain(m), "CT WiZ refused the username")
	mustNotContain(t, plain(m), "this computer's keychain")
}

// A password as long as 'ctwiz-nurse login' takes (4096 bytes) reaches
// Connect whole; the field stops there, as login refuses more.
func TestLoginLongPassword(t *testing.T) {
	long := strings.Repeat("pw0123456789-", credentials.MaxPasswordLength/13+1)
	for _, tt := range []struct {
		name, typed, want string
	}{
		{"over the old 128 limit", long[:129], long[:129]},
		{"the most login takes", long[:credentials.MaxPasswordLength], long[:credentials.MaxPasswordLength]},
		{"one more", long[:credentials.MaxPasswordLength+1], long[:credentials.MaxPasswordLength]},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got credentials.Credentials
			m, _ := newTestModel(t, nil, func(o *Options) {
				o.Registry, o.Store, o.User, o.Facility = nil, &fakeStore{}, "nurse.two", "SCH002"
				o.Connect = func(c credentials.Credentials) (Registry, error) { got = c; return &fakeRegistry{}, nil }
			})
			m = typeText(t, m, tt.typed)
			m = press(t, m, "enter")
			if got.Password != tt.want {
				t.Errorf("connected with a password of %d bytes, want %d", len(got.Password), len(tt.want))
			}
		})
	}
}
