package sandbox

import (
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// rxaGroup is one ORC/RXA of a Z42 with its OBX, as the layout test
// compares them.
type rxaGroup struct {
	rxa hl7.Segment
	obx []hl7.Segment
}

func rxaGroups(m *hl7.Message) []rxaGroup {
	var out []rxaGroup
	for _, s := range m.Segments {
		switch s.Name {
		case "RXA":
			out = append(out, rxaGroup{rxa: s})
		case "OBX":
			if len(out) > 0 {
				out[len(out)-1].obx = append(out[len(out)-1].obx, s)
			}
		}
	}
	return out
}

// loincOrder is the LOINC codes of one OBX sub-ID (OBX-4) in order, keeping
// only the codes in keep (nil: all).
func loincOrder(g rxaGroup, sub string, keep map[string]bool) []string {
	var out []string
	for _, o := range g.obx {
		if c := o.Value(3, 1, 1, 1); o.Value(4, 1, 1, 1) == sub && (keep == nil || keep[c]) {
			out = append(out, c)
		}
	}
	return out
}

// TestZ42LayoutMatchesWebIZ: the sandbox's Z42 is laid out as the real CT
// WiZ answer in testdata (rsp_z42_ct_wiz_webiz.hl7): OBX numbered from 1
// in every RXA group and grouped by OBX-4, the same OBX value types,
// observation dates and order of observations, a dose number with its
// "not applicable" unit, and the forecast after a 998 RXA whose groups
// open with the vaccine to give.
func TestZ42LayoutMatchesWebIZ(t *testing.T) {
	raw, err := os.ReadFile("testdata/rsp_z42_ct_wiz_webiz.hl7")
	if err != nil {
		t.Fatal(err)
	}
	sample, err := hl7.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTestServer(t, Options{})
	// Parker: valid doses and overdue groups, so every kind of OBX is sent.
	got := answerOf(t, s, seg(qbpMSH, "QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|T1||PARKER^Liam||20190620"))
	if got.Get("MSH-21.1") != "Z42" {
		t.Fatalf("profile %s", got.Get("MSH-21.1"))
	}

	types := map[string]string{} // LOINC -> OBX-2 in the sample
	for o := range sample.All("OBX") {
		types[o.Value(3, 1, 1, 1)] = o.Value(2, 1, 1, 1)
	}
	want, have := rxaGroups(sample), rxaGroups(got)
	wantDose, wantForecast := want[0], want[len(want)-1]
	if wantForecast.rxa.Value(5, 1, 1, 1) != "998" {
		t.Fatal("the sample's last RXA is not the 998 forecast")
	}
	sampleCodes := func(g rxaGroup) map[string]bool {
		k := map[string]bool{}
		for _, o := range g.obx {
			k[o.Value(3, 1, 1, 1)] = true
		}
		return k
	}

	for i, g := range have {
		last := i == len(have)-1
		if (g.rxa.Value(5, 1, 1, 1) == "998") != last {
			t.Fatalf("RXA %d: CVX %s; the 998 forecast RXA must be last and only last", i+1, g.rxa.Value(5, 1, 1, 1))
		}
		subs := map[string]bool{}
		for n, o := range g.obx {
			if o.Value(1, 1, 1, 1) != strconv.Itoa(n+1) {
				t.Errorf("RXA %d: OBX-1 %s, want %d (WebIZ numbers OBX from 1 in every RXA group)", i+1, o.Value(1, 1, 1, 1), n+1)
			}
			code := o.Value(3, 1, 1, 1)
			if want, ok := types[code]; ok && o.Value(2, 1, 1, 1) != want {
				t.Errorf("RXA %d OBX %s: type %s, WebIZ sends %s", i+1, code, o.Value(2, 1, 1, 1), want)
			}
			if o.Value(3, 1, 3, 1) != "LN" || o.Value(11, 1, 1, 1) != "F" || o.Value(14, 1, 1, 1) != g.rxa.Value(3, 1, 1, 1) {
				t.Errorf("RXA %d OBX %s: OBX-3 system %q, OBX-11 %q, OBX-14 %q (RXA-3 %s)", i+1, code,
					o.Value(3, 1, 3, 1), o.Value(11, 1, 1, 1), o.Value(14, 1, 1, 1), g.rxa.Value(3, 1, 1, 1))
			}
			if code == "30973-2" && o.Field(6) != wantDose.obx[2].Field(6) {
				t.Errorf("dose number unit %q, WebIZ sends %q", o.Field(6), wantDose.obx[2].Field(6))
			}
			subs[o.Value(4, 1, 1, 1)] = true
		}
		if len(g.obx) == 0 {
			t.Errorf("RXA %d (%s) has no evaluation OBX", i+1, g.rxa.Value(5, 1, 1, 1))
		}
		for sub := range subs {
			order := loincOrder(g, sub, nil)
			if order[0] != "30956-7" || order[len(order)-1] != "59779-9" {
				t.Errorf("RXA %d sub-ID %s: %v, want 30956-7 first and 59779-9 last", i+1, sub, order)
			}
		}
	}

	// Dose groups: the sample's observations in the sample's order.
	dose := have[0]
	if got, want := loincOrder(dose, "1", sampleCodes(wantDose)), loincOrder(wantDose, "1", nil); !slices.Equal(got, want) {
		t.Errorf("evaluation OBX %v, WebIZ %v", got, want)
	}

	// The forecast: RXA as WebIZ's, and a group with every date in the
	// sample's order.
	fc := have[len(have)-1]
	for _, f := range []int{1, 2, 5, 6, 20} {
		if fc.rxa.Field(f) != wantForecast.rxa.Field(f) {
			t.Errorf("forecast RXA-%d %q, WebIZ %q", f, fc.rxa.Field(f), wantForecast.rxa.Field(f))
		}
	}
	if fc.rxa.Value(3, 1, 1, 1) != "20261125" {
		t.Errorf("forecast RXA-3 %s, want today", fc.rxa.Value(3, 1, 1, 1))
	}
	withDates := loincOrder(wantForecast, "1", nil) // Hep B, overdue: every date
	keep := map[string]bool{}
	for _, c := range withDates {
		keep[c] = true
	}
	found := false
	for sub := 1; sub <= 12; sub++ {
		order := loincOrder(fc, strconv.Itoa(sub), keep)
		if !slices.Equal(order, withDates) {
			continue
		}
		found = true
		// A group with a dose to give opens with that vaccine, not the
		// group's code (HPV9 165, as WebIZ sends 08 for Hep B).
		open := fc.obx[slices.IndexFunc(fc.obx, func(o hl7.Segment) bool { return o.Value(4, 1, 1, 1) == strconv.Itoa(sub) })]
		if cvx := open.Value(5, 1, 1, 1); cvx != "165" {
			t.Errorf("forecast group %d opens with CVX %s (%s), want 165 (HPV9), the vaccine to give", sub, cvx, hl7.VaccineName(cvx))
		}
	}
	if !found {
		t.Errorf("no forecast group with the sample's observations in order %v", withDates)
	}
}
