package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// loadingModel is shown while a query runs: a spinner and the seconds
// elapsed, so a slow registry is visibly slow rather than frozen.
type loadingModel struct {
	spin    spinner.Model
	what    string
	started time.Time
	elapsed time.Duration
}

// cancelIntent asks the root to cancel the query in flight.
type cancelIntent struct{}

func newLoadingModel(what string, now time.Time) loadingModel {
	return loadingModel{spin: spinner.New(spinner.WithSpinner(spinner.Dot)), what: what, started: now}
}

func (l loadingModel) update(msg tea.Msg, k keyMap, now time.Time) (loadingModel, tea.Cmd, any) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, k.Back) {
			return l, nil, cancelIntent{}
		}
	case spinner.TickMsg:
		var cmd tea.Cmd
		l.spin, cmd = l.spin.Update(msg)
		l.elapsed = now.Sub(l.started)
		return l, cmd, nil
	}
	return l, nil, nil
}

func (l loadingModel) view(st styles, w, h int) string {
	secs := int(l.elapsed / time.Second)
	line := fmt.Sprintf("%s %s…  %ds", l.spin.View(), l.what, secs)
	hint := st.faint.Render("Press Esc to cancel; what you typed is kept.")
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, line+"\n\n"+hint)
}

// candidatesModel lists the students a Z31 offers. Nothing is chosen for
// the nurse: she picks one with the arrows and Enter.
type candidatesModel struct {
	patients    []hl7.Patient
	table       table.Model
	withAddress bool // the terminal is wide enough for the address column
	nameW       int  // the name column's width
}

// chooseIntent asks the root to fetch the chosen candidate's record.
type chooseIntent struct{ p hl7.Patient }

func newCandidatesModel(ps []hl7.Patient, st styles, w, h int) candidatesModel {
	c := candidatesModel{patients: ps}
	c.table = table.New(table.WithFocused(true), table.WithStyles(st.table))
	c.resize(w, h)
	return c
}

// resize shares the width between the columns. Names come first (twins
// differ only there), then the mother's maiden name; the address takes
// what is left. Dates, sex and IDs are never cut; a name too long for its
// column gives up the end of the family name first (candidateName).
func (c *candidatesModel) resize(w, h int) {
	const dobW, sexW = 10, 3
	longest := func(f func(hl7.Patient) string, floor, ceil int) int {
		n := floor
		for _, p := range c.patients {
			n = max(n, lipgloss.Width(f(p)))
		}
		return min(n, ceil)
	}
	idW := longest(func(p hl7.Patient) string { return p.RegistryID }, len("Registry ID"), 20)
	// Below 80 columns the address goes: it helps least in choosing.
	c.withAddress = w >= 80
	pad := 10
	if c.withAddress {
		pad = 12
	}
	flex := max(w-dobW-sexW-idW-pad, 24)
	const maidenMin, addrMin = 6, 8
	others := maidenMin
	if c.withAddress {
		others += addrMin
	}
	nameW := longest(func(p hl7.Patient) string { return "> " + personName(p.Family, p.Given, p.Middle, p.Suffix) }, 12, max(flex-others, 12))
	maidenTitle := "Mother's maiden"
	addrW := longest(func(p hl7.Patient) string { return candidateAddress(p) }, 8, 60)
	maidenW := longest(func(p hl7.Patient) string { return p.MotherMaidenName }, 8, 16)
	if flex-nameW-addrW >= len(maidenTitle) {
		maidenW = max(maidenW, len(maidenTitle)) // room for the whole title
	}
	maidenW = min(maidenW, max(flex-nameW-addrMin, maidenMin))
	if !c.withAddress {
		nameW = max(nameW, flex-maidenW)
	}
	if maidenW < len(maidenTitle) {
		maidenTitle = "Maiden" // the hint above the table says whose
	}
	cols := []table.Column{
		{Title: "Name", Width: nameW}, {Title: "Born", Width: dobW}, {Title: "Sex", Width: sexW}, {Title: maidenTitle, Width: maidenW},
	}
	if c.withAddress {
		// No wider than the longest address, so the registry ID stays near.
		cols = append(cols, table.Column{Title: "Address", Width: max(min(flex-nameW-maidenW, addrW), addrMin)})
	}
	cur := max(c.table.Cursor(), 0)
	c.nameW = nameW
	c.table.SetRows(nil) // rows must match the columns being set
	c.table.SetColumns(append(cols, table.Column{Title: "Registry ID", Width: idW}))
	c.refreshRows(cur)
	c.table.SetCursor(cur)
	c.table.SetWidth(w)
	c.table.SetHeight(max(h-4, 3))
}

// refreshRows writes the rows with a "> " before the chosen name, so the
// choice is visible without colour or reverse video.
func (c *candidatesModel) refreshRows(cursor int) {
	rows := make([]table.Row, len(c.patients))
	for i, p := range c.patients {
		marker := "  "
		if i == cursor {
			marker = "> "
		}
		row := table.Row{marker + candidateName(p, c.nameW-len(marker)), usDate(p.BirthDate), orDash(p.Sex), orDash(p.MotherMaidenName)}
		if c.withAddress {
			row = append(row, orDash(candidateAddress(p)))
		}
		rows[i] = append(row, orDash(p.RegistryID))
	}
	c.table.SetRows(rows)
}

// candidateName is the name in w columns. When the whole name does not
// fit, the family name is cut ("MONTGOMERY-BL…, Theodore James"), then
// the middle name shortened to initials, then left out, so the given name
// stays whole: twins share the family name and differ in the given ones.
func candidateName(p hl7.Patient, w int) string {
	full := personName(p.Family, p.Given, p.Middle, p.Suffix)
	if lipgloss.Width(full) <= w || strings.TrimSpace(p.Given) == "" {
		return ansi.Truncate(full, w, "…")
	}
	var initials []string
	for _, m := range strings.Fields(p.Middle) {
		initials = append(initials, string([]rune(m)[0])+".")
	}
	for _, given := range []string{
		strings.Join(nonEmpty(p.Given, p.Middle, p.Suffix), " "),
		strings.Join(nonEmpty(p.Given, strings.Join(initials, " "), p.Suffix), " "),
		strings.TrimSpace(p.Given),
	} {
		if room := w - lipgloss.Width(", "+given); room >= 4 {
			return ansi.Truncate(strings.TrimSpace(p.Family), room, "…") + ", " + given
		}
	}
	return ansi.Truncate(full, w, "…")
}

func candidateAddress(p hl7.Patient) string {
	return strings.Join(nonEmpty(p.Address.Street, p.Address.City, p.Address.Zip), ", ")
}

func (c candidatesModel) update(msg tea.Msg, k keyMap) (candidatesModel, tea.Cmd, any) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.Choose):
			if i := c.table.Cursor(); i >= 0 && i < len(c.patients) {
				return c, nil, chooseIntent{c.patients[i]}
			}
			return c, nil, nil
		case key.Matches(km, k.Back):
			return c, nil, backIntent{}
		case key.Matches(km, k.NewSearch):
			return c, nil, newSearchIntent{}
		}
	}
	var cmd tea.Cmd
	before := c.table.Cursor()
	c.table, cmd = c.table.Update(msg)
	if c.table.Cursor() != before {
		c.refreshRows(c.table.Cursor())
	}
	return c, cmd, nil
}

func (c candidatesModel) view(st styles, w, h int) string {
	n := len(c.patients)
	title := st.title.Render(fmt.Sprintf("%d %s", n, plural(n, "student matches", "students match")))
	hint := st.faint.Render("Check name, birth date and mother's maiden name, then choose one with ↑/↓ and Enter.")
	return title + "\n" + wrap(hint, w) + "\n\n" + c.table.View()
}

// errorModel explains a failed query in plain words, with what to do.
type errorModel struct {
	title    string
	message  string
	registry []hl7.RegistryError
	retry    bool // the same request may succeed if sent again
}

// retryIntent asks the root to send the last request again.
type retryIntent struct{}

func (e errorModel) update(msg tea.Msg, k keyMap) (errorModel, tea.Cmd, any) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return e, nil, nil
	}
	switch {
	case key.Matches(km, k.Back), key.Matches(km, k.Submit):
		return e, nil, backIntent{}
	case key.Matches(km, k.Retry):
		return e, nil, retryIntent{}
	case key.Matches(km, k.NewSearch):
		return e, nil, newSearchIntent{}
	}
	return e, nil, nil
}

func (e errorModel) view(st styles, w, h int) string {
	inner := max(min(w-6, 76), 20)
	var b strings.Builder
	b.WriteString(st.sevError.Render(e.title) + "\n\n" + wrap(e.message, inner))
	if len(e.registry) > 0 {
		b.WriteString("\n\nThe registry said:\n")
		for _, re := range e.registry {
			b.WriteString(registryErrorLine(re, st, inner) + "\n")
		}
	}
	next := "Press Enter to go back to the search form"
	if e.retry {
		next += ", or r to try again"
	}
	b.WriteString("\n\n" + st.faint.Render(next+"."))
	return st.errPanel.Width(inner + 4).Render(strings.TrimRight(b.String(), "\n"))
}

// lockModel is the lock screen: patient data is gone from the model by
// the time it shows, and only the password of the account in use opens
// it again.
type lockModel struct {
	idle     time.Duration
	password textinput.Model
	tries    int    // wrong passwords left before the program closes
	message  string // after a wrong or empty try
	hint     string // Options.UnlockHint
	run      string // how far a roster run going on meanwhile is: counts, no student
}

// lockTries is how many wrong passwords the lock takes; the last one
// closes the program (the lock screen says "three").
const lockTries = 3

// unlockIntent asks the root to compare the typed password with the one
// in use.
type unlockIntent struct{ typed string }

func newLockModel(idle time.Duration, hint string) (lockModel, tea.Cmd) {
	in := newInput()
	in.CharLimit = credentials.MaxPasswordLength
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	l := lockModel{idle: idle, password: in, tries: lockTries, hint: hint}
	return l, l.password.Focus()
}

func (l lockModel) update(msg tea.Msg, k keyMap) (lockModel, tea.Cmd, any) {
	if km, ok := msg.(tea.KeyPressMsg); ok && key.Matches(km, k.Unlock) {
		typed := l.password.Value()
		// Typed once: the field never keeps a password, right or wrong.
		l.password.Reset()
		if typed == "" {
			// Enter alone unlocked before: it is not counted as a try.
			l.message = "Type your CT WiZ password, then press Enter."
			return l, nil, nil
		}
		return l, nil, unlockIntent{typed}
	}
	var cmd tea.Cmd
	l.password, cmd = l.password.Update(msg)
	return l, cmd, nil
}

// refused counts a wrong password; it reports whether tries are left.
func (l *lockModel) refused() bool {
	l.tries--
	l.message = fmt.Sprintf("Wrong password: %d %s left.", l.tries, plural(l.tries, "try", "tries"))
	return l.tries > 0
}

func (l lockModel) view(st styles, w, h int) string {
	pw := min(w-4, 60)
	panel := st.lockPanel.Width(pw).Render(l.lines(st, pw-4, true)) // inside border and padding
	if lipgloss.Height(panel) > h {
		// On a small terminal the explanations and the frame give way, so
		// the password field and what went wrong always show.
		panel = l.lines(st, w, false)
	}
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, panel)
}

// lines are the lock's text wrapped to width; full adds what the data
// became and a roster run's progress.
func (l lockModel) lines(st styles, width int, full bool) string {
	why := "Locked."
	if l.idle > 0 {
		why = fmt.Sprintf("Locked after %s without activity.", humanDuration(l.idle))
	}
	in, inW := l.password, min(max(width-len("Password []"), 5), 30)
	in.SetWidth(inW - 1) // and the cursor
	lines := []string{st.bold.Render(wrap(why, width))}
	if full {
		lines = append(lines, wrap("The student's data was cleared from the screen and from memory.", width), "")
		if l.run != "" {
			lines = append(lines, wrap(l.run, width), "")
		}
	}
	lines = append(lines,
		wrap("Type your CT WiZ password to unlock; three wrong tries close ctwiz-nurse.", width),
		st.focused.Render("Password")+" ["+cell(in.View(), inW)+"]")
	if l.message != "" {
		lines = append(lines, st.statusErr.Render(wrap(l.message, width)))
	}
	if l.hint != "" {
		lines = append(lines, st.faint.Render(wrap(l.hint, width)))
	}
	return strings.Join(lines, "\n")
}

func humanDuration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		n := int(d / time.Minute)
		return fmt.Sprintf("%d %s", n, plural(n, "minute", "minutes"))
	case d >= time.Second:
		n := int(d / time.Second)
		return fmt.Sprintf("%d %s", n, plural(n, "second", "seconds"))
	}
	return d.String()
}
