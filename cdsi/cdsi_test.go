package cdsi

import (
	"slices"
	"testing"
	"time"
)

func TestSpanFrom(t *testing.T) {
	cases := []struct {
		from string
		span Span
		want string
	}{
		{"2021-03-01", Span{Months: 15}, "2022-06-01"},
		{"2000-01-31", Span{Months: 1}, "2000-03-01"}, // 31 February does not exist: first of March
		{"2016-02-29", Span{Years: 1}, "2017-03-01"},
		{"2024-01-01", Span{Weeks: 24}, "2024-06-17"},
		{"2024-01-01", Span{Days: -4}, "2023-12-28"},
	}
	for _, c := range cases {
		from, err := time.Parse(time.DateOnly, c.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.span.From(from).Format(time.DateOnly); got != c.want {
			t.Errorf("%s + %s = %s, want %s", c.from, c.span, got, c.want)
		}
	}
}

func TestParseSpan(t *testing.T) {
	for in, want := range map[string]Span{"24 days": {Days: 24}, "1 day": {Days: 1}, "6 months - 4 days": {Months: 6, Days: -4}, "10 years": {Years: 10}} {
		got, err := ParseSpan(in)
		if err != nil || got != want {
			t.Errorf("ParseSpan(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseSpan("soon"); err == nil {
		t.Error(`ParseSpan("soon") succeeded`)
	}
}

func TestGroups(t *testing.T) {
	for cvx, want := range map[string][]string{
		"94":  {"MMR", "Varicella"},              // MMRV
		"110": {"DTaP/Tdap/Td", "HepB", "Polio"}, // DTaP-HepB-IPV
		"115": {"DTaP/Tdap/Td"},
		"999": nil,
	} {
		got := slices.Clone(Groups(cvx))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("Groups(%s) = %v, want %v", cvx, got, want)
		}
	}
}

func TestLiveConflict(t *testing.T) {
	c, ok := LiveConflict("03", "21") // MMR, then varicella
	if !ok || c.Begin != (Span{Days: 1}) || c.End != (Span{Days: 28}) {
		t.Errorf("MMR then varicella: %+v %v, want 1 to 28 days", c, ok)
	}
	if c, ok := LiveConflict("03", "03"); !ok || c.End != (Span{Days: 24}) {
		t.Errorf("MMR then MMR: %+v %v, want the end at 24 days (28 less the grace period)", c, ok)
	}
	if !Live("94") || Live("20") {
		t.Errorf("Live(MMRV) = %v, Live(DTaP) = %v; want true, false", Live("94"), Live("20"))
	}
	if _, ok := LiveConflict("20", "21"); ok {
		t.Error("DTaP then varicella conflicts; DTaP is not a live vaccine")
	}
}
