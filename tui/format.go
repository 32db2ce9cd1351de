package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// usDate shows an ISO date as MM/DD/YYYY, and "-" for none, so an empty
// column still reads as "no date".
func usDate(iso string) string {
	if iso == "" {
		return "-"
	}
	return hl7.USDate(iso)
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

// wrap breaks text to width w for panels and messages, at spaces only: the
// ansi word wrap also breaks after any hyphen, which splits a date or a
// date form ("M-" over "D-YYYY"). A word wider than w is still cut.
func wrap(s string, w int) string {
	if w < 10 {
		w = 10
	}
	const keep = "\u2011" // a non-breaking hyphen: as wide, and no break point
	return strings.ReplaceAll(lipgloss.Wrap(strings.ReplaceAll(s, "-", keep), w, " "), keep, "-")
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
