package printout

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// The screen and the paper describe a forecast with the same words and in
// the same order, so a nurse reading one after the other finds the same
// rows where she expects them.

// StatusWord is a forecast status as the nurse reads it: upper case for the
// statuses that call for action ("OVERDUE", "DUE NOW"), "upcoming" for a
// dose on schedule, anything else as the registry sent it.
func StatusWord(status string) string {
	switch status {
	case hl7.StatusOverdue:
		return "OVERDUE"
	case hl7.StatusDue:
		return "DUE NOW"
	case hl7.StatusOnSchedule:
		return "upcoming"
	}
	return status
}

// ForecastGroup names a forecast row's vaccine group: the registry's
// name, else the CDC group of its CVX, else the vaccine.
func ForecastGroup(f hl7.Forecast) string {
	return cmp.Or(f.Group, hl7.GroupName(f.CVX), f.Vaccine, f.CVX)
}

var urgency = map[string]int{hl7.StatusOverdue: 0, hl7.StatusDue: 1, hl7.StatusOnSchedule: 2}

// ByUrgency returns the forecast most urgent first (overdue, due now,
// upcoming, then the rest), by vaccine group within each: what the nurse
// must act on is at the top. fc is not changed.
func ByUrgency(fc []hl7.Forecast) []hl7.Forecast {
	rank := func(f hl7.Forecast) int {
		if r, ok := urgency[f.Status]; ok {
			return r
		}
		return len(urgency)
	}
	rows := slices.Clone(fc)
	slices.SortStableFunc(rows, func(a, b hl7.Forecast) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)),
			cmp.Compare(strings.ToLower(ForecastGroup(a)), strings.ToLower(ForecastGroup(b))))
	})
	return rows
}

// Age is a student's age on a day as the screen and the paper write it:
// "9 years 3 months", "1 year", "7 months", "0 months". birth is an ISO
// date; "" when it is missing, unreadable or after on.
func Age(birth string, on time.Time) string {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return ""
	}
	y, m, d := on.Date()
	months := (y-b.Year())*12 + int(m) - int(b.Month())
	if d < b.Day() {
		months-- // the monthly birthday is still to come
	}
	if months < 0 {
		return ""
	}
	count := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	years, rest := months/12, months%12
	switch {
	case years == 0:
		return count(rest, "month", "months")
	case rest == 0:
		return count(years, "year", "years")
	}
	return count(years, "year", "years") + " " + count(rest, "month", "months")
}

// VaccineName is a dose's vaccine as the screen and the paper write it:
// the CDC's short description of its CVX code when the code is known, so
// one vaccine reads the same whatever words the registry or the clinic
// that reported it used ("DTap, UF", "DTAP" and "DTaP, unspecified
// formulation" are all CVX 107), with its first letter capitalised;
// otherwise the registry's text, then "CVX n". The CVX code is always
// shown beside it, and the JSON keeps the registry's text.
func VaccineName(cvx, sent string) string {
	if n := hl7.VaccineName(cvx); n != "" {
		r, size := utf8.DecodeRuneInString(n)
		return string(unicode.ToUpper(r)) + n[size:]
	}
	if sent = strings.Join(strings.Fields(sent), " "); sent != "" {
		return sent
	}
	return "CVX " + strings.TrimSpace(cvx)
}

// Address is a student's address on one line: "street, city, ST zip".
func Address(a hl7.Address) string {
	return strings.Join(nonEmpty(strings.TrimSpace(a.Street), strings.TrimSpace(a.City), strings.TrimSpace(a.State+" "+a.Zip)), ", ")
}

// ValidWord says whether a dose counts, as the screen and the paper
// write it: "Yes", "No", or "Not evaluated" when the registry sent no
// evaluation (never a blank, which reads as "not valid"). A refusal or a
// dose not given is not a dose: "-".
func ValidWord(imm *hl7.Immunization, valid string) string {
	switch strings.ToUpper(valid) {
	case "Y":
		return "Yes"
	case "N":
		return "No"
	}
	if s := strings.ToUpper(imm.Status); s == "RE" || s == "NA" {
		return "-"
	}
	return "Not evaluated"
}
