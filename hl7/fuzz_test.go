package hl7

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

func addSeeds(f *testing.F) {
	for _, data := range sampleFiles(f) {
		f.Add(data)
		f.Add(bytes.ReplaceAll(data, []byte("\n"), []byte("\r")))
	}
	f.Add([]byte("MSH|^~\\&\rPID|1||\\X4\\\\.br\\\\"))
	f.Add([]byte("MSH#*@!%#A\nERR##QPD*1*3*1*1#101#E"))
}

// FuzzParse: no input may panic, and whatever parses survives a round trip.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range m.Segments {
			var fields [30]string
			s.fields(fields[:])
			for i := 1; i <= 30; i++ {
				_ = s.Value(i, 1, 2, 2)
				_ = s.Reps(i)
				f := s.Field(i)
				if fields[i-1] != f {
					t.Fatalf("%s: fields gives field %d as %q, Field as %q", s.Raw, i, fields[i-1], f)
				}
				// The one-pass readers of decoding read what part reads.
				want := [3]string{s.part(f, 1, 1, 1), s.part(f, 1, 2, 1), s.part(f, 1, 3, 1)}
				if got := s.d.components(f); got != want {
					t.Fatalf("components(%q) = %q, want %q", f, got, want)
				}
				c := nth(nth(f, s.d.Repetition, 1), s.d.Component, 1)
				if s.d.SubComponent != 0 {
					c = c[strings.LastIndexByte(c, s.d.SubComponent)+1:]
				}
				if got, want := observationCode(s, f), strings.TrimSpace(s.d.unescape(c)); got != want {
					t.Fatalf("observationCode(%q) = %q, want %q", f, got, want)
				}
				if got, want := trimSpace(want[1]), strings.TrimSpace(want[1]); got != want {
					t.Fatalf("trimSpace(%q) = %q, want %q", want[1], got, want)
				}
			}
		}
		_ = m.Get("PID-3[2].1")
		again, err := Parse(Encode(m))
		if err != nil {
			t.Fatalf("Parse(Encode(m)): %v", err)
		}
		if !bytes.Equal(Encode(again), Encode(m)) {
			t.Fatalf("round trip changed the message")
		}
	})
}

// FuzzDecode: no input may panic or hang.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decode(data, "X")
		if err == nil && r.Outcome == "" {
			t.Fatal("decoded reply without an outcome")
		}
	})
}

// FuzzEscape: any value, put anywhere a value goes (MSH-3, components,
// sub-components, repetitions), survives building and parsing unchanged
// (line breaks normalised to LF) and creates no structure of its own.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{`O'Brien|X^Y~Z\W&V`, "a\r\nb", `\X41\`, "Zoë", "\x0b\x1c", "MSH|^~\\&|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		m, _ := NewMessage(NewMSH(F(v), F("FAC")), NewSegment("PID", Field{{{v, v}, {v}}, {{v}}}, F("END")))
		p, err := Parse(Encode(m))
		if err != nil {
			t.Fatal(err)
		}
		want := string(bytes.ReplaceAll(bytes.ReplaceAll([]byte(v), []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n")))
		if len(p.Segments) != 2 {
			t.Fatalf("value %q made %d segments", v, len(p.Segments))
		}
		for path, w := range map[string]string{
			"MSH-3": want, "MSH-4": "FAC", "PID-1.1.1": want, "PID-1.1.2": want, "PID-1.2": want, "PID-1[2].1": want,
			"PID-1.1.3": "", "PID-1.3": "", "PID-1[2].2": "", "PID-1[3].1": "", "PID-2": "END", "PID-3": "",
		} {
			if got := p.Get(path); got != w {
				t.Fatalf("value %q: %s = %q, want %q", v, path, got, w)
			}
		}
	})
}

// synthetic builds a Z42 with n doses, each evaluated, and a forecast.
func synthetic(n int) []byte {
	segs := []Segment{
		NewMSH(F("CTWIZ"), F("CT0000"), nil, nil, F("20260101120000-0500"), nil, F("RSP", "K11", "RSP_K11"), F("C1"), F("P"), F("2.5.1"), nil, nil, F("NE"), F("NE"), nil, nil, nil, nil, F("Z42", "CDCPHINVS")),
		NewSegment("MSA", F("AA"), F("Q1")),
		NewSegment("QAK", F("Q1"), F("OK"), F("Z44", "Request Evaluated History and Forecast", "CDCPHINVS")),
		NewSegment("PID", F("1"), nil, F("12345", "", "", "CT0000", "SR"), nil, F("Large", "Record"), nil, F("20100101"), F("F")),
	}
	day := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	cvx := []string{"20", "10", "08", "03", "21", "83", "133", "48"}
	for i := range n {
		code := cvx[i%len(cvx)]
		segs = append(segs,
			NewSegment("ORC", F("RE"), nil, F(strconv.Itoa(i), "CT0000")),
			NewSegment("RXA", F("0"), F("1"), F(day.AddDate(0, 0, i*10).Format("20060102")), nil, F(code, VaccineName(code), "CVX"), F("0.5"), nil, nil, F("00"), nil, nil, nil, nil, nil, F("LOT"+strconv.Itoa(i)), nil, F("PMC", "sanofi", "MVX"), nil, nil, F("CP"), F("A")),
			NewSegment("OBX", F("1"), F("CE"), F("30956-7", "Vaccine Type", "LN"), F("1"), F(code, VaccineName(code), "CVX")),
			NewSegment("OBX", F("2"), F("ID"), F("59781-5", "Dose Validity", "LN"), F("1"), F("Y")),
			NewSegment("OBX", F("3"), F("NM"), F("30973-2", "Dose Number in Series", "LN"), F("1"), F(strconv.Itoa(i/len(cvx)+1))),
			NewSegment("OBX", F("4"), F("CE"), F("59779-9", "Immunization Schedule Used", "LN"), F("1"), F("VXC16", "ACIP", "CDCPHINVS")),
		)
	}
	segs = append(segs, NewSegment("ORC", F("RE")), NewSegment("RXA", F("0"), F("1"), F("20260101"), nil, F("998", "No vaccine administered", "CVX"), F("999"), nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, F("NA")))
	for i, code := range cvx {
		sub := strconv.Itoa(i + 1)
		segs = append(segs,
			NewSegment("OBX", F("1"), F("CE"), F("30956-7", "Vaccine Type", "LN"), F(sub), F(code, VaccineName(code), "CVX")),
			NewSegment("OBX", F("2"), F("DT"), F("30980-7", "Date Vaccine Due", "LN"), F(sub), F("20270101")),
			NewSegment("OBX", F("3"), F("CE"), F("59783-1", "Series Status", "LN"), F(sub), F("LA13422-3", "On Schedule", "LN")),
		)
	}
	m, _ := NewMessage(segs...)
	return Encode(m)
}

func TestSyntheticLargeRecord(t *testing.T) {
	r, err := Decode(synthetic(300), "Q1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != OutcomeRecord || len(r.Immunizations) != 300 || len(r.Forecast) != 8 || len(r.Warnings) != 0 {
		t.Errorf("outcome %s, %d doses, %d forecasts, warnings %q", r.Outcome, len(r.Immunizations), len(r.Forecast), r.Warnings)
	}
	if ev := r.Immunizations[299].Evaluations[0]; ev.Dose != "38" || ev.Valid != "Y" {
		t.Errorf("last evaluation = %+v", ev)
	}
}

func benchDecode(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCTWiZ(b *testing.B) {
	data := sampleFiles(b)["rsp_z42_ct_wiz_webiz.hl7"]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeCTWiZ(b *testing.B) { benchDecode(b, sampleFiles(b)["rsp_z42_ct_wiz_webiz.hl7"]) }

func BenchmarkParseSynthetic300(b *testing.B) {
	data := synthetic(300)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSynthetic300(b *testing.B) { benchDecode(b, synthetic(300)) }

func BenchmarkBuildQuery(b *testing.B) {
	d := student()
	b.ReportAllocs()
	for b.Loop() {
		m, err := BuildQuery(d, QueryOptions{Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		_ = Encode(m)
	}
}
