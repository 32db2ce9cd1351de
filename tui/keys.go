package tui

import (
	"slices"

	"charm.land/bubbles/v2/key"
)

// keyMap is the interface's one keymap; the footer's help is generated
// from it, screen by screen.
type keyMap struct {
	Quit, ForceQuit, Help              key.Binding
	Next, Prev, Submit, Back           key.Binding
	Up, Down, PageUp, PageDown         key.Binding
	Top, Bottom, Scroll                key.Binding
	Choose, NewSearch, Print, Retry    key.Binding
	Lock, Unlock, Confirm              key.Binding
	ToPrinter, ToViewer, ToFile, Abort key.Binding
	// The roster: the question before a run, the filter, the search
	// form's way to a class list.
	RosterStart, RosterDecline, Filter, OpenRoster key.Binding
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Quit:      b("q", "quit", "q"),
		ForceQuit: b("ctrl+c", "quit", "ctrl+c"),
		Help:      b("?", "more keys", "?", "f1"),
		Next:      b("tab", "next field", "tab", "down"),
		Prev:      b("shift+tab", "previous field", "shift+tab", "up"),
		Submit:    b("enter", "search", "enter"),
		Back:      b("esc", "back", "esc"),
		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		PageUp:    b("pgup/b", "page up", "pgup", "b"),
		PageDown:  b("pgdn/space", "page down", "pgdown", "space", "f"),
		Top:       b("home/g", "top", "home", "g"),
		Scroll:    b("↑↓/pgdn", "scroll", "up", "down", "pgup", "pgdown"),
		Bottom:    b("end/G", "bottom", "end", "G"),
		Choose:    b("enter", "open record", "enter"),
		NewSearch: b("n", "new search", "n"),
		Print:     b("p", "print", "p"),
		Retry:     b("r", "retry", "r"),
		Lock:      b("ctrl+l", "lock now", "ctrl+l"),
		Unlock:    b("enter", "unlock", "enter"),
		Confirm:   b("y", "yes, it is the student: open", "y"),
		ToPrinter: b("p", "printer", "p"),
		ToViewer:  b("v", "viewer", "v"),
		ToFile:    b("s", "save to file", "s"),
		Abort:     b("esc", "cancel", "esc"),

		RosterStart:   b("y/enter", "start", "y", "enter"),
		RosterDecline: b("n/esc", "do not start", "n", "esc"),
		Filter:        b("f", "filter", "f"),
		OpenRoster:    b("ctrl+o", "open roster", "ctrl+o"),
	}
}

// screenHelp is the help.KeyMap of one screen.
type screenHelp struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h screenHelp) ShortHelp() []key.Binding  { return h.short }
func (h screenHelp) FullHelp() [][]key.Binding { return h.full }

// shortFor drops the bindings a nurse can best do without (scrolling is
// obvious, Esc is in the full help) until the short help fits width, so
// "? more keys" and "q quit" are never the ones cut off.
func (k keyMap) shortFor(short []key.Binding, width int, measure func(screenHelp) int) []key.Binding {
	for _, drop := range []key.Binding{k.Scroll, k.Back, k.NewSearch, k.Next} {
		if measure(screenHelp{short: short}) <= width {
			break
		}
		short = slices.DeleteFunc(slices.Clone(short), func(b key.Binding) bool { return b.Help() == drop.Help() })
	}
	return short
}

// helpFor returns the bindings that apply on screen s (and in the print
// menu or while a file name is typed, when they are open).
func (k keyMap) helpFor(s screen, printMenu, naming, copying bool) screenHelp {
	submit := k.Submit
	switch s {
	case screenLogin:
		submit.SetHelp("enter", "sign in")
		return screenHelp{
			short: []key.Binding{k.Next, submit, k.ForceQuit},
			full:  [][]key.Binding{{k.Next, k.Prev}, {submit, k.ForceQuit}},
		}
	case screenForm:
		return screenHelp{
			short: []key.Binding{k.Next, submit, k.OpenRoster, k.Help, k.ForceQuit},
			full:  [][]key.Binding{{k.Next, k.Prev, submit}, {k.OpenRoster, k.Lock, k.Help, k.ForceQuit}},
		}
	case screenLoading:
		cancel := k.Back
		cancel.SetHelp("esc", "cancel")
		return screenHelp{
			short: []key.Binding{cancel, k.ForceQuit},
			full:  [][]key.Binding{{cancel}, {k.ForceQuit}},
		}
	case screenCandidates:
		return screenHelp{
			short: []key.Binding{k.Scroll, k.Choose, k.Back, k.Help, k.Quit},
			full:  [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Choose, k.Back, k.NewSearch}, {k.Lock, k.Help, k.Quit}},
		}
	case screenRecord:
		if naming || copying {
			save := k.Submit
			save.SetHelp("enter", "save")
			if copying {
				save.SetHelp("enter", "print")
			}
			return screenHelp{
				short: []key.Binding{save, k.Abort, k.ForceQuit},
				full:  [][]key.Binding{{save, k.Abort}, {k.ForceQuit}},
			}
		}
		if printMenu {
			return screenHelp{
				short: []key.Binding{k.ToPrinter, k.ToViewer, k.ToFile, k.Abort},
				full:  [][]key.Binding{{k.ToPrinter, k.ToViewer, k.ToFile, k.Abort}},
			}
		}
		return screenHelp{
			short: []key.Binding{k.Scroll, k.Print, k.NewSearch, k.Back, k.Help, k.Quit},
			full: [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
				{k.Print, k.NewSearch, k.Back}, {k.Lock, k.Help, k.Quit}},
		}
	case screenError:
		back := k.Back
		back.SetHelp("esc/enter", "back to the form")
		return screenHelp{
			short: []key.Binding{back, k.Retry, k.Help, k.Quit},
			full:  [][]key.Binding{{back, k.Retry, k.NewSearch}, {k.Lock, k.Help, k.Quit}},
		}
	case screenMismatch:
		return screenHelp{
			short: []key.Binding{k.Confirm, k.Back, k.Help, k.Quit},
			full:  [][]key.Binding{{k.Confirm, k.Back, k.NewSearch}, {k.Lock, k.Help, k.Quit}},
		}
	case screenLock:
		// Every printable key belongs to the password: ctrl+c quits.
		return screenHelp{
			short: []key.Binding{k.Unlock, k.ForceQuit},
			full:  [][]key.Binding{{k.Unlock}, {k.ForceQuit}},
		}
	}
	return screenHelp{}
}
