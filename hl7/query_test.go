package hl7

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 25, 9, 30, 0, 0, time.FixedZone("EST", -5*3600))

func student() Demographics {
	return Demographics{
		Last: "Butte", First: "Dianthe", Middle: "Mariam",
		BirthDate:        time.Date(2014, 8, 15, 0, 0, 0, 0, time.UTC),
		Sex:              "F",
		MotherMaidenLast: "Blaine", MotherMaidenFirst: "Ann",
		Address:       Address{Street: "44 Iversen Ave", City: "Hartford", State: "CT", Zip: "06106"},
		Phone:         "(860) 555-1212",
		MultipleBirth: "Y", BirthOrder: 2,
	}
}

func TestBuildQueryZ44(t *testing.T) {
	m, err := BuildQuery(student(), QueryOptions{
		SendingApp: "CTWIZ-NURSE", SendingFacility: "CT1234", ReceivingApp: "WebIZ",
		ProcessingID: "T", Limit: 5, ControlID: "CTWN0001", Now: testNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"MSH-1": "|", "MSH-2": `^~\&`, "MSH-3": "CTWIZ-NURSE", "MSH-4": "CT1234", "MSH-5": "WebIZ", "MSH-6": "CT0000",
		"MSH-7": "20261125093000-0500", "MSH-9": "QBP", "MSH-9.2": "Q11", "MSH-9.3": "QBP_Q11", "MSH-10": "CTWN0001",
		"MSH-11": "T", "MSH-12": "2.5.1", "MSH-15": "ER", "MSH-16": "AL", "MSH-21": "Z44", "MSH-21.2": "CDCPHINVS",
		"QPD-1": "Z44", "QPD-1.2": "Request Evaluated History and Forecast", "QPD-1.3": "CDCPHINVS",
		"QPD-2": "CTWN0001", "QPD-4": "Butte", "QPD-4.2": "Dianthe", "QPD-4.3": "Mariam", "QPD-4.7": "L",
		"QPD-5": "Blaine", "QPD-5.2": "Ann", "QPD-5.7": "M", "QPD-6": "20140815", "QPD-7": "F",
		"QPD-8": "44 Iversen Ave", "QPD-8.3": "Hartford", "QPD-8.4": "CT", "QPD-8.5": "06106", "QPD-8.6": "USA", "QPD-8.7": "P",
		"QPD-9.2": "PRN", "QPD-9.3": "PH", "QPD-9.6": "860", "QPD-9.7": "5551212", "QPD-10": "Y", "QPD-11": "2",
		"RCP-1": "I", "RCP-2": "5", "RCP-2.2": "RD", "RCP-2.2.2": "Records", "RCP-2.2.3": "HL70126",
	}
	for path, w := range want {
		if got := m.Get(path); got != w {
			t.Errorf("%s = %q, want %q", path, got, w)
		}
	}
	if len(m.Segments) != 3 {
		t.Errorf("%d segments, want MSH QPD RCP", len(m.Segments))
	}
}

func TestBuildQueryDefaultsAndSecondStep(t *testing.T) {
	d := Demographics{Last: "Child", First: "Robert", BirthDate: time.Date(2005, 5, 12, 0, 0, 0, 0, time.UTC),
		IDs: []Identifier{{ID: "99445566", Authority: "CT0000", Type: "SR"}}}
	m, err := BuildQuery(d, QueryOptions{Profile: ProfileZ34, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	id := m.ControlID()
	if len(id) == 0 || len(id) > MaxControlIDLen {
		t.Errorf("control ID %q: want 1..%d characters", id, MaxControlIDLen)
	}
	for path, w := range map[string]string{
		"MSH-11": "P", "MSH-21": "Z34", "QPD-1": "Z34", "QPD-1.2": "Request Immunization History",
		"QPD-2": id, "QPD-3": "99445566", "QPD-3.4": "CT0000", "QPD-3.5": "SR", "RCP-2": "10",
		"QPD-5": "", "QPD-8": "", "QPD-9": "",
	} {
		if got := m.Get(path); got != w {
			t.Errorf("%s = %q, want %q", path, got, w)
		}
	}
	other, _ := BuildQuery(d, QueryOptions{Now: testNow})
	if other.ControlID() == id {
		t.Error("two queries got the same control ID")
	}
}

// Control IDs are unique, at most 20 characters (WebIZ truncates longer
// ones, which would break the MSA-2 check) and need no escaping.
func TestNewControlID(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		id := NewControlID()
		if len(id) == 0 || len(id) > MaxControlIDLen || strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			t.Fatalf("control ID %q: want 1..%d capital letters and digits", id, MaxControlIDLen)
		}
		if seen[id] {
			t.Fatalf("control ID %q repeated", id)
		}
		seen[id] = true
	}
}

func TestBuildQueryEscapesHostileNames(t *testing.T) {
	d := student()
	d.Last = `A|B^C~D\E&F`
	d.First = "O'Brien\rMSH|^~\\&|EVIL"
	m, err := BuildQuery(d, QueryOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	wire := string(Encode(m))
	if n := strings.Count(wire, "\r"); n != 3 {
		t.Fatalf("%d segments on the wire, want 3: %q", n, wire)
	}
	if !strings.Contains(wire, `|A\F\B\S\C\R\D\E\E\T\F^O'Brien\.br\MSH\F\\S\\R\\E\\T\\F\EVIL^`) {
		t.Errorf("QPD-4 not escaped as expected: %q", wire)
	}
	back, err := Parse([]byte(wire))
	if err != nil {
		t.Fatal(err)
	}
	if !equalMessages(m, back) {
		t.Error("Parse(Encode(m)) != m for the built query")
	}
	if got := back.Get("QPD-4.1"); got != d.Last {
		t.Errorf("QPD-4.1 back = %q", got)
	}
	if got := back.Get("QPD-6"); got != "20140815" {
		t.Errorf("QPD-6 moved: %q", got)
	}
}

func TestBuildQueryRejects(t *testing.T) {
	future := testNow.AddDate(0, 0, 1)
	cases := []struct {
		field  string
		modify func(*Demographics)
		opts   QueryOptions
	}{
		{"last name", func(d *Demographics) { d.Last = "  " }, QueryOptions{}},
		{"first name", func(d *Demographics) { d.First = "" }, QueryOptions{}},
		{"date of birth", func(d *Demographics) { d.BirthDate = time.Time{} }, QueryOptions{}},
		{"date of birth", func(d *Demographics) { d.BirthDate = future }, QueryOptions{}},
		{"sex", func(d *Demographics) { d.Sex = "X" }, QueryOptions{}},
		{"phone", func(d *Demographics) { d.Phone = "555-12" }, QueryOptions{}},
		{"zip", func(d *Demographics) { d.Address.Zip = "6106" }, QueryOptions{}},
		{"state", func(d *Demographics) { d.Address.State = "Conn" }, QueryOptions{}},
		{"multiple birth", func(d *Demographics) { d.MultipleBirth = "2" }, QueryOptions{}},
		{"query profile", func(*Demographics) {}, QueryOptions{Profile: "Z99"}},
		{"processing ID", func(*Demographics) {}, QueryOptions{ProcessingID: "X"}},
		{"control ID", func(*Demographics) {}, QueryOptions{ControlID: strings.Repeat("9", 21)}},
	}
	for _, c := range cases {
		d := student()
		c.modify(&d)
		c.opts.Now = testNow
		_, err := BuildQuery(d, c.opts)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: error = %v, want a FieldError naming it", c.field, err)
		}
	}
	// The date as typed (ParseDate: midnight UTC) against the nurse's
	// calendar day, wherever she is and whatever the hour.
	for _, c := range []struct {
		name string
		now  time.Time
		dob  string
		ok   bool
	}{
		{"born today, morning in Connecticut", testNow, "2026-11-25", true},
		{"born tomorrow, morning in Connecticut", testNow, "2026-11-26", false},
		{"born tomorrow, late evening in Connecticut", time.Date(2026, 11, 25, 23, 30, 0, 0, testNow.Location()), "2026-11-26", false},
		{"born today, just after midnight in Connecticut", time.Date(2026, 11, 25, 0, 5, 0, 0, testNow.Location()), "11/25/2026", true},
		{"born today, far east", time.Date(2026, 11, 25, 1, 0, 0, 0, time.FixedZone("", 13*3600)), "2026-11-25", true},
		{"born tomorrow, far east", time.Date(2026, 11, 25, 1, 0, 0, 0, time.FixedZone("", 13*3600)), "2026-11-26", false},
	} {
		d := student()
		var err error
		if d.BirthDate, err = ParseDate(c.dob, c.now); err != nil {
			t.Fatal(err)
		}
		_, err = BuildQuery(d, QueryOptions{Now: c.now})
		var fe *FieldError
		if c.ok && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if !c.ok && (!errors.As(err, &fe) || fe.Field != "date of birth" || fe.Problem != "is in the future") {
			t.Errorf("%s: error = %v, want date of birth in the future", c.name, err)
		}
	}
}

func TestVaccineCodes(t *testing.T) {
	if got := VaccineName("3"); got != "MMR" {
		t.Errorf("VaccineName(3) = %q", got)
	}
	var names []string
	for _, g := range VaccineGroups("110") {
		names = append(names, g.Name+"/"+g.CVX)
	}
	if strings.Join(names, " ") != "DTaP/Tdap/Td/107 HepB/45 Polio/89" {
		t.Errorf("groups of DTaP-HepB-IPV = %v", names)
	}
	for cvx, want := range map[string]string{"94": "MMR", "21": "Varicella", "115": "DTaP/Tdap/Td", "999999": "", "90": "Rabies", "176": "Rabies"} {
		if got := GroupName(cvx); got != want {
			t.Errorf("GroupName(%s) = %q, want %q", cvx, got, want)
		}
	}
}

func TestUSFormats(t *testing.T) {
	for in, want := range map[string]string{
		"2014-08-15": "08/15/2014", "": "", "2009-10-51": "2009-10-51", "2014-08": "2014-08", "20140815": "20140815", "2014-0a-15": "2014-0a-15",
	} {
		if got := USDate(in); got != want {
			t.Errorf("USDate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"8605551212": "(860) 555-1212", "5551212": "5551212", "(860)555-1212": "(860)555-1212", "": "",
	} {
		if got := USPhone(in); got != want {
			t.Errorf("USPhone(%q) = %q, want %q", in, got, want)
		}
	}
	if Digits("(860) 555-1212 x") != "8605551212" || NormCVX(" 3 ") != "03" || NormCVX("107") != "107" {
		t.Error("Digits or NormCVX")
	}
}

func TestSplitMaidenName(t *testing.T) {
	tests := []struct{ in, last, first string }{
		{"Reyes, Maria", "Reyes", "Maria"},
		{"Reyes", "Reyes", ""},
		{"  Reyes ,Maria Ana ", "Reyes", "Maria Ana"},
		{"de la Cruz, Ana", "de la Cruz", "Ana"},
		{"Reyes,", "Reyes", ""},
		{"", "", ""},
		{"Reyes, Maria, Jr", "Reyes", "Maria, Jr"},
	}
	for _, tt := range tests {
		last, first := SplitMaidenName(tt.in)
		if last != tt.last || first != tt.first {
			t.Errorf("SplitMaidenName(%q) = %q, %q; want %q, %q", tt.in, last, first, tt.last, tt.first)
		}
	}
}
