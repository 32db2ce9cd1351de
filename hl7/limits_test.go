package hl7

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const limitsHeader = "MSH|^~\\&|WebIZ|CT0000|||20260101||RSP^K11^RSP_K11|R1|P|2.5.1|||NE|NE|||||Z42^CDCPHINVS\rMSA|AA|Q1\rQAK|Q1|OK\r"

// repeated is n repetitions of one value joined by ~.
func repeated(v string, n int) string {
	return strings.TrimSuffix(strings.Repeat(v+"~", n), "~")
}

// pidWith is a Z42 whose PID-3 and PID-13 repeat ids and phones times.
func pidWith(ids, phones int) []byte {
	return []byte(limitsHeader + "PID|1||" + repeated("123^^^CT0000^MR", ids) + "||DOE^JANE||20150102|F|||||" + repeated("^PRN^PH", phones) + "\r")
}

// A reply holding more than a record can is refused as too complex, at
// once; one at the limits decodes.
func TestDecodeTooComplex(t *testing.T) {
	rxaWith := func(obx int) []byte {
		return []byte(limitsHeader + "PID|1||1^^^CT0000^SR||DOE^JANE\rRXA|0|1|20150102||03^MMR^CVX\r" +
			strings.Repeat("OBX|1|CE|30956-7^Vaccine Type^LN|1|03^MMR^CVX\r", obx))
	}
	tests := []struct {
		name    string
		reply   []byte
		tooMuch string // in the error; "" when the reply decodes
	}{
		{"PID-3 with 80,000 identifiers", pidWith(80_000, 1), "PID-3 of segment 4 repeats 80000 times"},
		{"PID-13 with 80,000 phones", pidWith(1, 80_000), "PID-13 of segment 4 repeats 80000 times"},
		{"PID-3 at the limit", pidWith(MaxRepetitions, 1), ""},
		{"PID-3 one past the limit", pidWith(MaxRepetitions+1, 1), "PID-3 of segment 4 repeats 101 times"},
		{"repetitions in MSH", []byte(strings.Replace(limitsHeader, "|WebIZ|", "|"+repeated("A", 500)+"|", 1)), "MSH-3 of segment 1 repeats 500 times"},
		{"segments", []byte(limitsHeader + strings.Repeat("NTE|1\r", MaxSegments)), "more than 10000 segments"},
		{"millions of one-letter segments", []byte(limitsHeader + strings.Repeat("Z\r", 8<<20)), "more than 10000 segments"},
		{"segments at the limit, blank lines between", []byte(limitsHeader + "PID|1||1^^^CT0000^SR||DOE^JANE\r" + strings.Repeat("NTE|1\r\n\r\n", MaxSegments-4)), ""},
		{"vaccine groups under one RXA", groupsWith(1, MaxGroupsPerRXA+1, 0), "an RXA has more than 50 vaccine groups"},
		{"vaccine groups at the limit", groupsWith(1, MaxGroupsPerRXA, 0), ""},
		{"OBX after one RXA", rxaWith(MaxOBXPerRXA + 1), "an RXA is followed by 1001 segments"},
		{"OBX at the limit", rxaWith(MaxOBXPerRXA), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Decode(tt.reply, "Q1")
			if tt.tooMuch == "" {
				if err != nil || r.Outcome != OutcomeRecord {
					t.Fatalf("outcome %v, %v", r, err)
				}
				return
			}
			if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), tt.tooMuch) || r != nil {
				t.Errorf("got %v, %v; want ErrTooComplex with %q", r, err, tt.tooMuch)
			}
		})
	}
}

// groupsWith is a Z42 with rxas forecast RXAs, each opening groups
// vaccine groups and then naming a group's status statuses times (NYC
// CIR's 30999-1, which looks through the groups already open).
func groupsWith(rxas, groups, statuses int) []byte {
	var b strings.Builder
	b.WriteString(limitsHeader + "PID|1||1^^^CT0000^SR||DOE^JANE\r")
	for range rxas {
		b.WriteString("RXA|0|1|20150102||998^No vaccine administered^CVX\r")
		for i := range groups {
			b.WriteString("OBX|1|CE|30956-7^Vaccine Type^LN|" + strconv.Itoa(i) + "|" + strconv.Itoa(i+1) + "^x^CVX\r")
		}
		b.WriteString(strings.Repeat("OBX|1|CE|30999-1^Group status^LN|x|MMR^x^L\r", statuses))
	}
	return []byte(b.String())
}

func TestRepetitions(t *testing.T) {
	noRep := Delimiters{Field: '|', Component: '^'}
	tests := []struct {
		name  string
		d     Delimiters
		field string
		want  []string // component 2 of each repetition
	}{
		{"empty field", DefaultDelimiters, "", nil},
		{"one", DefaultDelimiters, "a^b", []string{"b"}},
		{"several, one empty", DefaultDelimiters, "a^b~~c^d\\T\\e", []string{"b", "", "d&e"}},
		{"trailing separator", DefaultDelimiters, "a^b~", []string{"b", ""}},
		{"no repetition separator declared", noRep, "a^b~c", []string{"b~c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Segment{Name: "PID", Raw: "PID|" + tt.field, d: tt.d}
			var got []string
			for rep := range s.Repetitions(1) {
				got = append(got, rep.Value(2, 1))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// Decoding a reply whose PID-3 and PID-13 are as long as a record allows
// costs one pass over them: the identifiers are read once, not once per
// repetition.
func BenchmarkDecodeRepetitionsAtLimit(b *testing.B) {
	benchDecode(b, pidWith(MaxRepetitions, MaxRepetitions))
}

// The costliest reply within the limits: every RXA followed by as many
// segments as allowed, each looking through as many groups as allowed.
func BenchmarkDecodeWorstWithinLimits(b *testing.B) {
	data := groupsWith(MaxSegments/(MaxOBXPerRXA+1)-1, MaxGroupsPerRXA, MaxOBXPerRXA-MaxGroupsPerRXA)
	if _, err := Decode(data, ""); err != nil {
		b.Fatal(err)
	}
	benchDecode(b, data)
}

// A hostile reply with 80,000 identifiers is refused in one pass.
func BenchmarkDecodeRepetitions80000(b *testing.B) {
	data := pidWith(80_000, 80_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, ""); !errors.Is(err, ErrTooComplex) {
			b.Fatal(err)
		}
	}
}
