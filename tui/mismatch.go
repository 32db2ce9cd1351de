package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// mismatchModel holds back a record whose patient is not the student
// asked for (the wrong-student guard): the nurse sees what she asked and
// what the registry's record says side by side, and opens it only by
// confirming.
type mismatchModel struct {
	resp           *hl7.Response
	fromCandidates bool
}

// confirmIntent asks the root to open the record held back.
type confirmIntent struct{}

func (m mismatchModel) update(msg tea.Msg, k keyMap) (mismatchModel, tea.Cmd, any) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil, nil
	}
	switch {
	case key.Matches(km, k.Confirm):
		return m, nil, confirmIntent{}
	case key.Matches(km, k.Back):
		return m, nil, backIntent{}
	case key.Matches(km, k.NewSearch):
		return m, nil, newSearchIntent{}
	}
	return m, nil, nil
}

// view shows both sides in columns; a value wraps in its column rather
// than being cut, and each differing line says so in words.
func (m mismatchModel) view(st styles, w, h int) string {
	mm := m.resp.Mismatch
	const labelW, markW = 11, 7
	colW := max((w-labelW-markW-3)/2, 8)
	differs := func(field string) bool {
		return slices.ContainsFunc(mm.Fields, func(d hl7.Disagreement) bool { return d.Field == field })
	}
	col := func(s string, width int) string { return lipgloss.NewStyle().Width(width).Render(s) }
	var rows []string
	row := func(label, field, asked, reg string) {
		mark := ""
		if field != "" && differs(field) {
			mark = st.sevError.Render("differs")
			label = st.bold.Render(label)
		}
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, col(label, labelW+1), col(orDash(asked), colW+1), col(orDash(reg), colW+1), mark))
	}
	row("", "", st.bold.Render("Asked"), st.bold.Render("Registry"))
	row("Last name", "family", mm.Asked.Family, mm.Registry.Family)
	row("First names", "given", mm.Asked.Given, mm.Registry.Given)
	if mm.Asked.Suffix != "" || mm.Registry.Suffix != "" {
		row("Suffix", "suffix", mm.Asked.Suffix, mm.Registry.Suffix)
	}
	row("Born", "birthDate", usDate(mm.Asked.BirthDate), usDate(mm.Registry.BirthDate))
	row("Registry ID", "registryId", mm.Asked.RegistryID, mm.Registry.RegistryID)
	title := st.sevError.Render(wrap("This record may be another student's", w))
	hint := st.faint.Render(wrap("y: it is the student, open the record · esc: back · n: new search", w))
	return title + "\n\n" + strings.Join(rows, "\n") + "\n\n" + hint
}
