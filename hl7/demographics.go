package hl7

import (
	"strings"
	"time"
)

// Demographics is what a nurse knows about a student, the input of a query.
// Last, First and BirthDate are required; the rest improves matching.
type Demographics struct {
	Last, First, Middle, Suffix string
	BirthDate                   time.Time // only the calendar date is used
	Sex                         string    // F, M or U; empty means not sent
	MotherMaidenLast            string
	MotherMaidenFirst           string
	Address                     Address
	Phone                       string // digits; 10 digits are split into area code and number
	MultipleBirth               string // Y, N or empty
	BirthOrder                  int    // 1, 2, ... when MultipleBirth is Y; 0 means not sent
	IDs                         []Identifier
}

// Query profiles (MSH-21 of the query).
const (
	ProfileZ44 = "Z44" // evaluated history and forecast
	ProfileZ34 = "Z34" // history
)

// QueryOptions are the parts of a QBP^Q11 that come from configuration and
// the moment of sending rather than from the student.
type QueryOptions struct {
	Profile           string // ProfileZ44 (default) or ProfileZ34
	SendingApp        string // MSH-3
	SendingFacility   string // MSH-4: the code CT WiZ assigned the organisation
	ReceivingApp      string // MSH-5
	ReceivingFacility string // MSH-6, CT0000 for CT WiZ
	ProcessingID      string // MSH-11: P (default) or T
	Limit             int    // RCP-2: most candidates accepted, default 10
	ControlID         string // MSH-10; generated when empty
	QueryTag          string // QPD-2; the control ID when empty
	Now               time.Time
}

// SplitMaidenName reads a mother's maiden name as a nurse types it: "LAST"
// or "LAST, FIRST", the registry's own order. The interface and the
// command line both read it here, so the same words make the same query.
// Only the first comma splits; spaces around the parts are dropped.
func SplitMaidenName(s string) (last, first string) {
	last, first, _ = strings.Cut(s, ",")
	return strings.TrimSpace(last), strings.TrimSpace(first)
}

// ParseSex reads the sex a nurse typed, as the search form and `query
// --sex` both accept it: F, M or U, or the word (female, male, unknown),
// in any case; "" stays "". ok is false for anything else.
func ParseSex(s string) (sex string, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "":
		return "", true
	case "F", "FEMALE":
		return "F", true
	case "M", "MALE":
		return "M", true
	case "U", "UNKNOWN":
		return "U", true
	}
	return "", false
}
