package hl7

import "strings"

// USDate shows an ISO date (YYYY-MM-DD, as in the record types) the way
// school records write it, MM/DD/YYYY. Anything else, including "", is
// returned as it is, so a date a registry sent oddly is shown, not hidden.
func USDate(iso string) string {
	if len(iso) == 10 && iso[4] == '-' && iso[7] == '-' && strings.Trim(iso[:4]+iso[5:7]+iso[8:], "0123456789") == "" && validISODate(iso) {
		return iso[5:7] + "/" + iso[8:10] + "/" + iso[:4]
	}
	return iso
}

// USPhone shows a ten-digit phone number (area code and number, as
// Patient.Phone holds it) as (860) 555-1212; anything else as it is.
func USPhone(p string) string {
	if len(p) == 10 && strings.Trim(p, "0123456789") == "" {
		return "(" + p[:3] + ") " + p[3:6] + "-" + p[6:]
	}
	return p
}
