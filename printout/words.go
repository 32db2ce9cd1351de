package printout

import (
	"cmp"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// The screen and the paper describe a forecast with the same words and in
// the same order, so a nurse reading one after the other finds the same
// rows where she expects them.

// StatusWord is a forecast status as the nurse reads it, the same on
// screen, in `query` and on paper: capitals for the statuses that call
// for action ("OVERDUE", "DUE NOW"), "Upcoming" for a dose on schedule,
// the others capitalised ("Complete", "Not recommended"), a registry's
// own word as it sent it, capitalised.
func StatusWord(status string) string {
	switch status {
	case hl7.StatusOverdue:
		return "OVERDUE"
	case hl7.StatusDue:
		return "DUE NOW"
	case hl7.StatusOnSchedule:
		return "Upcoming"
	}
	r, size := utf8.DecodeRuneInString(status)
	return string(unicode.ToUpper(r)) + status[size:]
}

// ThenWords are a group's later entries as its row shows them after
// "then": each one's due date (else earliest date, else its status), with
// "dose N" where the registry numbered it.
func ThenWords(then []hl7.Forecast) string {
	words := make([]string, 0, len(then))
	for _, f := range then {
		w := cmp.Or(hl7.USDate(cmp.Or(f.Due, f.Earliest)), StatusWord(f.Status))
		if f.Dose != "" {
			w = "dose " + f.Dose + " " + w
		}
		words = append(words, w)
	}
	return strings.Join(words, ", ")
}

// DoneWords are the groups with nothing to give, one phrase per status:
// "Complete: MMR, Varicella", "Too old: Rotavirus".
func DoneWords(v hl7.ForecastView) []string {
	var out []string
	for _, d := range v.Done {
		out = append(out, StatusWord(d.Status)+": "+strings.Join(d.Groups, ", "))
	}
	return out
}

// AdultWords is the line saying how many entries were left out as adult
// ones, and which: "2 left out as they begin at adult age: Zoster at 50,
// Pneumococcal at 65."; "" when none was.
func AdultWords(v hl7.ForecastView) string {
	if len(v.Adult) == 0 {
		return ""
	}
	which := make([]string, len(v.Adult))
	for i, a := range v.Adult {
		which[i] = fmt.Sprintf("%s at %d", a.Group, a.Age)
	}
	verb := "they begin"
	if len(v.Adult) == 1 {
		verb = "it begins"
	}
	return fmt.Sprintf("%d left out as %s at adult age: %s.", len(v.Adult), verb, strings.Join(which, ", "))
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

// SourceWord says where a dose comes from, as the screen and `query`
// write it: "administered" (RXA-9 00), "historical" (01..08), "source not
// stated" when the registry left RXA-9 empty, and for a dose that is not
// one, "refused", "not given" or "partial dose" (RXA-20), never
// "administered".
func SourceWord(imm *hl7.Immunization) string {
	switch strings.ToUpper(imm.Status) {
	case "RE":
		return "refused"
	case "NA":
		return "not given"
	case "PA":
		return "partial dose"
	}
	switch {
	case imm.Historical:
		return "historical"
	case imm.Source == "":
		return "source not stated"
	}
	return "administered"
}
