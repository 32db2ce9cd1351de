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

func TestLoginStoresCredentialsAndConnects(t *testing.T) {
	tests := []struct {
		name     string
		storeErr error
		status   string
	}{
		{"keychain", nil, "credentials saved in the keychain"},
		{"no keychain", &credentials.UnavailableError{Op: "store", Err: errors.New("no secret service")}, "Signed in for this session only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{err: tt.storeErr}
			reg := &fakeRegistry{}
			var got credentials.Credentials
			connect := func(c credentials.Credentials) (Registry, error) { got = c; return reg, nil }
			m, _ := newTestModel(t, nil, func(o *Options) {
				o.Registry, o.Connect, o.Store, o.User, o.Facility = nil, connect, store, "", ""
			})
			if m.Screen() != "login" {
				t.Fatalf("screen %s without a registry", m.Screen())
			}
			m = typeText(t, m, "nurse.two")
			m = press(t, m, "tab")
			m = typeText(t, m, "SCH002")
			m = press(t, m, "tab")
			m = typeText(t, m, "s3cret?q")
			v := plain(m)
			if strings.Contains(v, "s3cret") {
				t.Fatalf("the password is shown:\n%s", v)
			}
			mustContain(t, v, "Sign in to CT WiZ", "••••••••")
			m = press(t, m, "enter")
			if m.Screen() != "form" {
				t.Fatalf("screen %s after sign-in\n%s", m.Screen(), plain(m))
			}
			want := credentials.Credentials{Username: "nurse.two", FacilityID: "SCH002", Password: "s3cret?q"}
			if got != want {
				t.Errorf("connected with %v", got)
			}
			if tt.storeErr == nil && store.saved["sandbox"] != want {
				t.Errorf("stored %v", store.saved)
			}
			mustContain(t, plain(m), tt.status, "user nurse.two", "facility SCH002")
		})
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
	mustNotContain(t, plain(m), "No CT WiZ credentials are stored", "kept in this computer's keychain")
	m = typeText(t, m, "pw")
	m = press(t, m, "enter")
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "login" {
		t.Fatalf("screen %s after a refusal", m.Screen())
	}
	mustContain(t, plain(m), "CT WiZ refused the username")
	mustNotContain(t, plain(m), "kept in this computer's keychain")
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
