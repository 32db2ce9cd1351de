package sandbox

import (
	"slices"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// TestBuiltinProductsExisted: no built-in student has a vaccine dated
// before the product was licensed in the US (an interface analyst would
// notice PCV13 in 2008).
func TestBuiltinProductsExisted(t *testing.T) {
	licensed := map[string]string{ // CVX -> first licensed, YYYYMMDD
		"133": "20100224", "150": "20121214", "165": "20141210", "114": "20050114",
		"116": "20060203", "115": "20050503", "208": "20201211", "83": "19950222", "21": "19950317",
		"110": "20021213", "216": "20210608",
	}
	msgs, err := builtinMessages(testNow())
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range msgs {
		m, err := hl7.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		for rxa := range m.All("RXA") {
			cvx, date := rxa.Value(5, 1, 1, 1), rxa.Value(3, 1, 1, 1)
			if first, ok := licensed[cvx]; ok && date < first {
				t.Errorf("%s: CVX %s (%s) on %s, before it was licensed (%s)", m.Get("PID-5.1"), cvx, hl7.VaccineName(cvx), date, first)
			}
		}
	}
}

// TestBuiltinUnbornLeftOut: on a day before the school-entry students at
// the end of the list were born, they are left out and everyone before
// them is stored.
func TestBuiltinUnbornLeftOut(t *testing.T) {
	msgs, err := builtinMessages(time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for _, raw := range msgs {
		m, err := hl7.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, m.Get("PID-5.1"))
	}
	if !slices.Contains(stored, "OKAFOR") || slices.Contains(stored, "KIM") || slices.Contains(stored, "ADEYEMI") {
		t.Errorf("stored on 2021-03-01: %v; want OKAFOR (born 2011), not KIM (2021-05-10) or ADEYEMI (2022-10-15)", stored)
	}
}
