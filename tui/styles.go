package tui

import (
	"cmp"
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/table"
	"charm.land/lipgloss/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// styles is the one place the interface's look is defined. Colours are
// ANSI basic colours so they follow the terminal's own theme; every
// coloured thing also carries a word, so NO_COLOR loses no meaning.
type styles struct {
	noColor bool

	header, title, faint, bold, label lipgloss.Style
	badge                             map[string]lipgloss.Style
	status, statusErr, statusOK       lipgloss.Style
	fieldErr, focused, hint           lipgloss.Style
	panel, errPanel, lockPanel        lipgloss.Style
	section, groupName                lipgloss.Style
	sevError, sevWarning, sevInfo     lipgloss.Style
	forecast                          map[string]lipgloss.Style
	valid, invalid                    lipgloss.Style
	table                             table.Styles
	help                              help.Styles

	// schoolBadge is the school-entry check's overall status (by
	// schoolentry.Compliant...), requirement each requirement's status.
	schoolBadge, requirement map[string]lipgloss.Style
}

var (
	red     = lipgloss.Color("1")
	green   = lipgloss.Color("2")
	yellow  = lipgloss.Color("3")
	blue    = lipgloss.Color("4")
	magenta = lipgloss.Color("5")
	cyan    = lipgloss.Color("6")
	white   = lipgloss.Color("15")
	black   = lipgloss.Color("0")
	grey    = lipgloss.Color("8")
)

func newStyles(noColor bool) styles {
	s := styles{noColor: noColor}
	n := lipgloss.NewStyle()
	col := func(st lipgloss.Style, c color.Color) lipgloss.Style {
		if noColor {
			return st
		}
		return st.Foreground(c)
	}
	badge := func(bg, fgc color.Color) lipgloss.Style {
		if noColor {
			return n.Bold(true).Reverse(true).Padding(0, 1)
		}
		return n.Bold(true).Background(bg).Foreground(fgc).Padding(0, 1)
	}
	s.header = n
	s.title = col(n.Bold(true), magenta)
	s.faint = n.Faint(true)
	s.bold = n.Bold(true)
	s.label = col(n, cyan)
	s.badge = map[string]lipgloss.Style{
		"SANDBOX":    badge(blue, white),
		"QA/TEST":    badge(yellow, black),
		"PRODUCTION": badge(red, white),
	}
	s.status = n
	s.statusErr = col(n.Bold(true), red)
	s.statusOK = col(n, green)
	s.fieldErr = col(n, red)
	s.focused = col(n.Bold(true), magenta)
	s.hint = n.Faint(true)
	border := lipgloss.RoundedBorder()
	s.panel = n.Border(border).Padding(0, 1)
	s.errPanel = s.panel
	s.lockPanel = s.panel
	if !noColor {
		s.errPanel = s.errPanel.BorderForeground(red)
		s.lockPanel = s.lockPanel.BorderForeground(blue)
	}
	s.section = col(n.Bold(true).Underline(true), magenta)
	s.groupName = col(n.Bold(true), cyan)
	s.sevError = col(n.Bold(true), red)
	s.sevWarning = col(n.Bold(true), yellow)
	s.sevInfo = col(n, blue)
	s.forecast = map[string]lipgloss.Style{
		hl7.StatusOverdue:         col(n.Bold(true), red),
		hl7.StatusDue:             col(n.Bold(true), yellow),
		hl7.StatusOnSchedule:      col(n, blue),
		hl7.StatusComplete:        col(n, green),
		hl7.StatusImmune:          col(n, green),
		hl7.StatusNotRecommended:  col(n, grey),
		hl7.StatusContraindicated: col(n, grey),
		hl7.StatusTooOld:          col(n, grey),
	}
	s.valid = col(n, green)
	s.invalid = col(n.Bold(true), red)
	s.schoolBadge = map[string]lipgloss.Style{
		schoolentry.Compliant:    badge(green, black),
		schoolentry.InProcess:    badge(yellow, black),
		schoolentry.NotCompliant: badge(red, white),
	}
	s.requirement = map[string]lipgloss.Style{
		schoolentry.Met:       col(n, green),
		schoolentry.InProcess: col(n.Bold(true), yellow),
		schoolentry.Missing:   col(n.Bold(true), red),
	}
	// The chosen candidate is reversed and marked "> " (see refreshRows).
	s.table = table.Styles{Header: n.Bold(true).Padding(0, 1), Cell: n.Padding(0, 1), Selected: n.Reverse(true)}
	// Faint rather than a grey: readable on dark and light backgrounds.
	s.help = help.Styles{ShortKey: n.Bold(true), ShortDesc: n.Faint(true), ShortSeparator: n.Faint(true),
		FullKey: n.Bold(true), FullDesc: n.Faint(true), FullSeparator: n.Faint(true), Ellipsis: n.Faint(true)}
	return s
}

// progressBar is the roster run's bar: solid blue, or without colour a
// full and an empty block.
func (s styles) progressBar() progress.Model {
	if s.noColor {
		b := progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))
		b.FullColor, b.EmptyColor = lipgloss.NoColor{}, lipgloss.NoColor{}
		return b
	}
	return progress.New(progress.WithoutPercentage(), progress.WithColors(blue))
}

// badgeFor renders the environment badge; an unknown environment is shown
// as written so a misconfigured profile is visible rather than hidden.
func (s styles) badgeFor(env string) string {
	st, ok := s.badge[env]
	if !ok {
		st = s.badge["PRODUCTION"]
	}
	return st.Render(env)
}

// forecastStatus renders a forecast status word in its colour; the word is
// always written, upper case for the statuses that call for action.
func (s styles) forecastStatus(status string) string {
	word := cmp.Or(printout.StatusWord(status), "-") // the paper's words

	if st, ok := s.forecast[status]; ok {
		return st.Render(word)
	}
	return word
}

// schoolStatus renders the school-entry check's overall status as a badge
// word: COMPLIANT, IN PROCESS, NOT COMPLIANT.
func (s styles) schoolStatus(status string) string {
	st, ok := s.schoolBadge[status]
	if !ok {
		st = s.schoolBadge[schoolentry.NotCompliant]
	}
	return st.Render(schoolentry.StatusWords(status))
}

// requirementStatus renders a requirement's status word (met, IN
// PROCESS, MISSING) in its colour.
func (s styles) requirementStatus(status string) string {
	return s.requirement[status].Render(schoolentry.StatusWords(status))
}
