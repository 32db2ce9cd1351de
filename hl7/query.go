package hl7

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FieldError names a query field a registry would reject and why.
type FieldError struct {
	Field   string // as a nurse calls it: "last name", "date of birth"
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// MaxControlIDLen is the longest MSH-10 sent: WebIZ (CT WiZ) truncates
// longer ones, which would break the MSA-2 check.
const MaxControlIDLen = 20

// NewControlID returns a random control ID of MaxControlIDLen characters.
func NewControlID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "CTWN" + strings.ToUpper(hex.EncodeToString(b[:]))
}

// BuildQuery builds a QBP^Q11^QBP_Q11 for d. It refuses, with a
// *FieldError, what a registry would reject.
func BuildQuery(d Demographics, opts QueryOptions) (*Message, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if err := d.Validate(opts.Now); err != nil {
		return nil, err
	}
	profile := opts.Profile
	if profile == "" {
		profile = ProfileZ44
	}
	var qpd1 Field
	switch profile {
	case ProfileZ44:
		qpd1 = F("Z44", "Request Evaluated History and Forecast", "CDCPHINVS")
	case ProfileZ34:
		qpd1 = F("Z34", "Request Immunization History", "CDCPHINVS")
	default:
		return nil, &FieldError{"query profile", fmt.Sprintf("%q is not Z44 or Z34", profile)}
	}
	pid := opts.ProcessingID
	if pid == "" {
		pid = "P"
	}
	if pid != "P" && pid != "T" && pid != "D" {
		return nil, &FieldError{"processing ID", fmt.Sprintf("%q is not P, T or D", pid)}
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 10
	}
	control := opts.ControlID
	if control == "" {
		control = NewControlID()
	}
	if len(control) > MaxControlIDLen {
		return nil, &FieldError{"control ID", fmt.Sprintf("longer than %d characters", MaxControlIDLen)}
	}
	tag := opts.QueryTag
	if tag == "" {
		tag = control
	}
	recv := opts.ReceivingFacility
	if recv == "" {
		recv = "CT0000"
	}

	msh := NewMSH(
		F(opts.SendingApp), F(opts.SendingFacility), F(opts.ReceivingApp), F(recv),
		F(opts.Now.Format("20060102150405-0700")), nil,
		F("QBP", "Q11", "QBP_Q11"), F(control), F(pid), F("2.5.1"),
		nil, nil, F("ER"), F("AL"), nil, nil, nil, nil,
		F(profile, "CDCPHINVS"),
	)

	var ids Field
	for _, id := range d.IDs {
		ids = append(ids, [][]string{{id.ID}, nil, nil, {id.Authority}, {id.Type}})
	}
	var maiden Field
	if d.MotherMaidenLast != "" {
		maiden = F(d.MotherMaidenLast, d.MotherMaidenFirst, "", "", "", "", "M")
	}
	var addr Field
	if a := d.Address; a != (Address{}) {
		addr = F(a.Street, "", a.City, a.State, a.Zip, "USA", "P")
	}
	var phone Field
	if p := Digits(d.Phone); p != "" {
		area, local := "", p
		if len(p) == 10 {
			area, local = p[:3], p[3:]
		}
		phone = F("", "PRN", "PH", "", "", area, local)
	}
	var order Field
	if d.BirthOrder > 0 {
		order = F(strconv.Itoa(d.BirthOrder))
	}
	qpd := NewSegment("QPD", qpd1, F(tag), ids,
		F(d.Last, d.First, d.Middle, d.Suffix, "", "", "L"), maiden,
		F(d.BirthDate.Format("20060102")), F(d.Sex), addr, phone, F(d.MultipleBirth), order)
	rcp := NewSegment("RCP", F("I"), Field{{{strconv.Itoa(limit)}, {"RD", "Records", "HL70126"}}})
	return NewMessage(msh, qpd, rcp)
}

// Validate reports the first field a registry would reject, as of now.
func (d Demographics) Validate(now time.Time) error {
	switch {
	case strings.TrimSpace(d.Last) == "":
		return &FieldError{"last name", "required"}
	case strings.TrimSpace(d.First) == "":
		return &FieldError{"first name", "required"}
	case d.BirthDate.IsZero():
		return &FieldError{"date of birth", "required"}
	}
	// Calendar dates, not instants: ParseDate gives midnight UTC, which is
	// still "yesterday evening" in Connecticut.
	by, bm, bd := d.BirthDate.Date()
	y, m, dd := now.Date()
	if time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).After(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)) {
		return &FieldError{"date of birth", "is in the future"}
	}
	if d.BirthDate.Year() < 1900 {
		return &FieldError{"date of birth", "is before 1900"}
	}
	switch d.Sex {
	case "", "F", "M", "U":
	default:
		return &FieldError{"sex", fmt.Sprintf("%q is not F, M or U", d.Sex)}
	}
	switch d.MultipleBirth {
	case "", "Y", "N":
	default:
		return &FieldError{"multiple birth", fmt.Sprintf("%q is not Y or N", d.MultipleBirth)}
	}
	if d.BirthOrder < 0 || d.BirthOrder > 9 {
		return &FieldError{"birth order", "must be between 1 and 9"}
	}
	if d.Phone != "" {
		if p := Digits(d.Phone); len(p) != 10 && len(p) != 7 {
			return &FieldError{"phone", "must have 10 digits (area code and number)"}
		}
	}
	if z := d.Address.Zip; z != "" {
		if p := Digits(z); (len(p) != 5 && len(p) != 9) || len(strings.TrimSpace(z)) > 10 {
			return &FieldError{"zip", "must be 5 digits or ZIP+4"}
		}
	}
	if s := d.Address.State; s != "" && len(s) != 2 {
		return &FieldError{"state", "must be a two-letter code such as CT"}
	}
	for _, id := range d.IDs {
		if strings.TrimSpace(id.ID) == "" {
			return &FieldError{"registry ID", "is empty"}
		}
	}
	return nil
}

// Digits returns the decimal digits of s, the form in which phone numbers
// and zip codes are compared and sent.
func Digits(s string) string {
	if strings.Trim(s, "0123456789") == "" {
		return s // already digits, as most registries send a phone
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
