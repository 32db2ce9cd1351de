package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
)

// CredentialStore keeps the credentials typed at the login screen;
// credentials.Store satisfies it.
type CredentialStore interface {
	Set(profile string, c credentials.Credentials) error
}

// Connector builds a registry client from credentials. cmd/ctwiz-nurse
// gives one that builds a *query.Client for the profile's endpoint.
type Connector func(c credentials.Credentials) (Registry, error)

const (
	lUser = iota
	lFacility
	lPassword
	nLogin
)

var loginLabels = [nLogin]string{"Username", "Facility ID", "Password"}

// loginModel asks for the CT WiZ account when the profile has none stored
// or the registry refused the stored one.
type loginModel struct {
	inputs  [nLogin]textinput.Model
	focus   int
	message string // why she is asked: first use, or the registry refused
	warn    bool
	busy    bool
	// noKeychain: what she types is kept for this session only, so the
	// screen does not promise the keychain.
	noKeychain bool
}

// loginIntent asks the root to connect with the credentials.
type loginIntent struct{ c credentials.Credentials }

func newLoginModel(user, facility, message string, warn, noKeychain bool) loginModel {
	l := loginModel{message: message, warn: warn, noKeychain: noKeychain}
	for i := range l.inputs {
		in := newInput()
		in.CharLimit = 128
		l.inputs[i] = in
	}
	// As long as 'ctwiz-nurse login' takes: a longer one would be cut
	// without a word, and always refused.
	l.inputs[lPassword].CharLimit = credentials.MaxPasswordLength
	l.inputs[lPassword].EchoMode = textinput.EchoPassword
	l.inputs[lPassword].EchoCharacter = '•'
	l.inputs[lUser].SetValue(user)
	l.inputs[lFacility].SetValue(facility)
	// Start where something is missing.
	switch {
	case user == "":
		l.focus = lUser
	case facility == "":
		l.focus = lFacility
	default:
		l.focus = lPassword
	}
	l.inputs[l.focus].Focus()
	return l
}

func (l loginModel) update(msg tea.Msg, k keyMap) (loginModel, tea.Cmd, any) {
	if l.busy {
		return l, nil, nil
	}
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.Submit):
			c := credentials.Credentials{
				Username:   strings.TrimSpace(l.inputs[lUser].Value()),
				FacilityID: strings.TrimSpace(l.inputs[lFacility].Value()),
				Password:   l.inputs[lPassword].Value(),
			}
			var missing []string
			for i, v := range []string{c.Username, c.FacilityID, c.Password} {
				if v == "" {
					missing = append(missing, strings.ToLower(loginLabels[i]))
				}
			}
			if len(missing) > 0 {
				l.message, l.warn = "Please type your "+strings.Join(missing, " and ")+".", true
				return l, nil, nil
			}
			l.busy = true
			l.message, l.warn = "Signing in…", false
			return l, nil, loginIntent{c}
		case key.Matches(km, k.Next):
			return l, l.setFocus((l.focus + 1) % nLogin), nil
		case key.Matches(km, k.Prev):
			return l, l.setFocus((l.focus + nLogin - 1) % nLogin), nil
		}
	}
	var cmd tea.Cmd
	l.inputs[l.focus], cmd = l.inputs[l.focus].Update(msg)
	return l, cmd, nil
}

func (l *loginModel) setFocus(i int) tea.Cmd {
	l.inputs[l.focus].Blur()
	l.focus = i
	return l.inputs[i].Focus()
}

// failed brings the form back after a refused sign-in, password cleared.
func (l *loginModel) failed(message string) {
	l.busy = false
	l.message, l.warn = message, true
	l.inputs[lPassword].Reset()
	l.setFocus(lPassword)
}

func (l loginModel) view(st styles, w, h int) string {
	var b strings.Builder
	b.WriteString(st.title.Render("Sign in to CT WiZ") + "\n\n")
	if !l.noKeychain {
		b.WriteString(wrap("Your username, facility ID and password go into this computer's keychain once CT WiZ accepts them, never a file.", w-2) + "\n\n")
	}
	inW := min(max(w-20, 16), 40)
	for i := range l.inputs {
		in := l.inputs[i]
		in.SetWidth(inW - 1)
		marker, ls := "  ", st.label
		if i == l.focus {
			marker, ls = st.focused.Render("> "), st.focused
		}
		b.WriteString(marker + cell(ls.Render(loginLabels[i]), 14) + "[" + cell(in.View(), inW) + "]\n")
	}
	if l.message != "" {
		ms := st.statusOK
		if l.warn {
			ms = st.statusErr
		}
		b.WriteString("\n" + ms.Render(wrap(l.message, w-2)))
	}
	return b.String()
}
