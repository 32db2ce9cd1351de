package tui

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// usDate shows an ISO date (YYYY-MM-DD) as MM/DD/YYYY, the way school
// records write it; anything else is shown as sent rather than hidden.
func usDate(iso string) string {
	if iso == "" {
		return "-"
	}
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	return t.Format("01/02/2006")
}

// cell pads or cuts s (which may hold styles) to exactly w columns.
func cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-lipgloss.Width(s))
}

// fit cuts every line of s to w columns and pads or cuts s to h lines, so
// a screen's body never pushes the footer off a small terminal.
func fit(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// wrap breaks plain text to width w for panels and messages.
func wrap(s string, w int) string {
	if w < 10 {
		w = 10
	}
	return lipgloss.Wrap(s, w, " ")
}

// personName writes a patient's name as registries and school files do:
// FAMILY, Given Middle.
func personName(family, given, middle, suffix string) string {
	n := strings.TrimSpace(family)
	rest := strings.TrimSpace(strings.Join(nonEmpty(given, middle, suffix), " "))
	if rest != "" {
		n += ", " + rest
	}
	return n
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
