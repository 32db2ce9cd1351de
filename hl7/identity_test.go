package hl7

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestComparePatient(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	asked := func(last, first, middle, dob string, ids ...Identifier) Demographics {
		return Demographics{Last: last, First: first, Middle: middle, BirthDate: day(dob), IDs: ids}
	}
	rec := func(family, given, middle, dob, id string) Patient {
		p := Patient{Family: family, Given: given, Middle: middle, BirthDate: dob, RegistryID: id}
		if id != "" {
			p.IDs = []Identifier{{ID: id, Authority: "CTA0000", Type: "SR"}}
		}
		return p
	}
	sr := func(id string) Identifier { return Identifier{ID: id, Type: "SR"} }
	maya := rec("SANDOVAL", "Maya", "", "2008-04-12", "9000001")
	for _, tc := range []struct {
		name  string
		asked Demographics
		got   Patient
		want  []string // the fields that disagree; none when the record is the student asked for
	}{
		// Not disagreements: the same child written another way.
		{"the same", asked("SANDOVAL", "Maya", "", "2008-04-12"), maya, nil},
		{"case", asked("sandoval", "MAYA", "", "2008-04-12"), maya, nil},
		{"accents", asked("Garcia-Lopez", "Jose", "", "2014-07-04"), rec("GARCÍA-LÓPEZ", "José", "", "2014-07-04", "9000006"), nil},
		{"accents typed, none sent", asked("Núñez", "Zoë", "", "2014-07-04"), rec("NUNEZ", "ZOE", "", "2014-07-04", ""), nil},
		{"apostrophe", asked("OBrien", "Siobhan", "", "2016-11-30"), rec("O'BRIEN", "Siobhán", "", "2016-11-30", "9000005"), nil},
		{"curly apostrophe in a first name", asked("Smith", "DAndre", "", "2015-09-01"), rec("SMITH", "D’Andre", "", "2015-09-01", ""), nil},
		{"hyphen for space", asked("Garcia Lopez", "Jose", "", "2014-07-04"), rec("GARCÍA-LÓPEZ", "José", "", "2014-07-04", ""), nil},
		{"hyphen for nothing", asked("Montgomeryblake", "Theodore", "", "2008-01-05"), rec("MONTGOMERY-BLAKE", "Theodore", "", "2008-01-05", ""), nil},
		{"punctuation", asked("St. John", "Mary-Kate", "", "2015-01-01"), rec("ST JOHN", "Mary Kate", "", "2015-01-01", ""), nil},
		{"spaces around", asked("  Sandoval ", " Maya", "", "2008-04-12"), maya, nil},
		{"middle name asked only", asked("Sandoval", "Maya", "Xavier", "2008-04-12"), maya, nil},
		{"middle name in the record only", asked("Sandoval", "Maya", "", "2008-04-12"), rec("SANDOVAL", "Maya", "Xavier", "2008-04-12", ""), nil},
		{"middle initial for the middle name", asked("Sandoval", "Maya", "X.", "2008-04-12"), rec("SANDOVAL", "Maya", "Xavier", "2008-04-12", ""), nil},
		{"two given names split differently", asked("Nguyen", "Minh Anh", "", "2017-09-03"), rec("NGUYEN", "Minh", "Anh", "2017-09-03", ""), nil},
		{"two given names run together", asked("Nguyen", "Minhanh", "", "2017-09-03"), rec("NGUYEN", "Minh", "Anh", "2017-09-03", ""), nil},
		{"decomposed accent and an initial", asked("Garcia Lopez", "Jose\u0301 L", "", "2014-07-04"), rec("GARCÍA-LÓPEZ", "José", "Luis", "2014-07-04", ""), nil},
		{"second given name in the record only", asked("Nguyen", "Minh", "", "2017-09-03"), rec("NGUYEN", "Minh Anh", "", "2017-09-03", ""), nil},
		{"second given name asked only", asked("Nguyen", "Minh Anh", "", "2017-09-03"), rec("NGUYEN", "Minh", "", "2017-09-03", ""), nil},
		{"suffix on one side", Demographics{Last: "Parker", First: "Liam", Suffix: "Jr", BirthDate: day("2019-06-20")}, rec("PARKER", "Liam", "", "2019-06-20", ""), nil},
		{"suffix with a period", Demographics{Last: "Parker", First: "Liam", Suffix: "Jr.", BirthDate: day("2019-06-20")},
			Patient{Family: "PARKER", Given: "Liam", Suffix: "JR", BirthDate: "2019-06-20"}, nil},
		{"registry ID agrees", asked("Sandoval", "Maya", "", "2008-04-12", sr("9000001")), maya, nil},
		{"registry ID agrees, typed LR by the registry", asked("Sandoval", "Maya", "", "2008-04-12", sr("9000001")),
			Patient{Family: "SANDOVAL", Given: "Maya", BirthDate: "2008-04-12", IDs: []Identifier{{ID: "9000001", Type: "LR"}}}, nil},
		{"registry ID asked untyped, as some registries type it", asked("Sandoval", "Maya", "", "2008-04-12", Identifier{ID: "9000001"}), maya, nil},
		{"a medical record number is not compared", asked("Sandoval", "Maya", "", "2008-04-12", Identifier{ID: "A-77", Type: "MR"}), maya, nil},
		{"no registry ID asked, none in the record", asked("Sandoval", "Maya", "", "2008-04-12"), rec("SANDOVAL", "Maya", "", "2008-04-12", ""), nil},

		// Disagreements: possibly another child.
		{"another student by registry ID (Jones, Bob + 9000001)", asked("Jones", "Bob", "", "2008-04-12", sr("9000001")), maya, []string{"family", "given"}},
		{"another patient for a plain search", asked("Sandoval", "Maya", "", "2008-04-12"), rec("PARKER", "Liam", "", "2019-06-20", "9000002"), []string{"family", "given", "birthDate"}},
		{"last name", asked("Sandovale", "Maya", "", "2008-04-12"), maya, []string{"family"}},
		{"one of a double last name", asked("Garcia", "Jose", "", "2014-07-04"), rec("GARCÍA-LÓPEZ", "José", "", "2014-07-04", ""), []string{"family"}},
		{"first name", asked("Sandoval", "Mia", "", "2008-04-12"), maya, []string{"given"}},
		{"nickname", asked("Smith", "Bob", "", "2015-09-01"), rec("SMITH", "Robert", "", "2015-09-01", ""), []string{"given"}},
		{"first initial only", asked("Sandoval", "M", "", "2008-04-12"), maya, []string{"given"}},
		{"twin: the other second given name", asked("Nguyen", "Minh Anh", "", "2017-09-03"), rec("NGUYEN", "Minh Khoa", "", "2017-09-03", "9000004"), []string{"given"}},
		{"middle names differ", asked("Sandoval", "Maya", "Xavier", "2008-04-12"), rec("SANDOVAL", "Maya", "Rose", "2008-04-12", ""), []string{"given"}},
		{"middle initial of another name", asked("Sandoval", "Maya", "R", "2008-04-12"), rec("SANDOVAL", "Maya", "Xavier", "2008-04-12", ""), []string{"given"}},
		{"suffixes differ", Demographics{Last: "Parker", First: "Liam", Suffix: "II", BirthDate: day("2019-06-20")},
			Patient{Family: "PARKER", Given: "Liam", Suffix: "III", BirthDate: "2019-06-20"}, []string{"suffix"}},
		{"birth date", asked("Sandoval", "Maya", "", "2008-04-21"), maya, []string{"birthDate"}},
		{"no birth date in the record", asked("Sandoval", "Maya", "", "2008-04-12"), rec("SANDOVAL", "Maya", "", "", "9000001"), []string{"birthDate"}},
		{"no names in the record", asked("Sandoval", "Maya", "", "2008-04-12"), Patient{BirthDate: "2008-04-12"}, []string{"family", "given"}},
		{"another registry ID", asked("Sandoval", "Maya", "", "2008-04-12", sr("9000002")), maya, []string{"registryId"}},
		{"the record carries no registry ID", asked("Sandoval", "Maya", "", "2008-04-12", sr("9000001")), rec("SANDOVAL", "Maya", "", "2008-04-12", ""), []string{"registryId"}},
		{"the asked ID only as a medical record number", asked("Sandoval", "Maya", "", "2008-04-12", sr("9000001")),
			Patient{Family: "SANDOVAL", Given: "Maya", BirthDate: "2008-04-12", IDs: []Identifier{{ID: "9000001", Type: "MR"}, {ID: "9000077", Type: "SR"}}}, []string{"registryId"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ComparePatient(tc.asked, tc.got)
			var fields []string
			if m != nil {
				for _, f := range m.Fields {
					fields = append(fields, f.Field)
					if f.Label() == "" {
						t.Errorf("field %q has no label", f.Field)
					}
				}
			}
			if !slices.Equal(fields, tc.want) {
				t.Errorf("disagreements %v, want %v (%+v)", fields, tc.want, m)
			}
		})
	}
}

// The mismatch holds both sides whole, as shown side by side, and each
// disagreement with both values: what query --json prints.
func TestComparePatientJSON(t *testing.T) {
	d := Demographics{Last: "Jones", First: "Bob", BirthDate: time.Date(2008, 4, 12, 0, 0, 0, 0, time.UTC),
		IDs: []Identifier{{ID: "9000001", Type: "SR"}}}
	got := Patient{RegistryID: "9000001", IDs: []Identifier{{ID: "9000001", Authority: "SANDBOX", Type: "SR"}},
		Family: "SANDOVAL", Given: "Maya", Middle: "Rose", BirthDate: "2008-04-12"}
	b, err := json.Marshal(ComparePatient(d, got))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"asked":{"family":"Jones","given":"Bob","suffix":"","birthDate":"2008-04-12","registryId":"9000001"},` +
		`"registry":{"family":"SANDOVAL","given":"Maya Rose","suffix":"","birthDate":"2008-04-12","registryId":"9000001"},` +
		`"fields":[{"field":"family","asked":"Jones","registry":"SANDOVAL"},{"field":"given","asked":"Bob","registry":"Maya Rose"}]}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
}

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"O'Brien-Núñez":    "obriennunez",
		"GARCÍA-LÓPEZ":     "garcialopez",
		"Garcia Lopez":     "garcialopez",
		"Jose\u0301":       "jose", // decomposed accent (NFD), as some keyboards send it
		"Siobhán":          "siobhan",
		"Ní BHRIAIN":       "nibhriain",
		"Strauß":           "strauss",
		"  St. John,  Jr ": "stjohnjr",
		"Łukasz Żółć":      "lukaszzolc",
		"Æsa Þór":          "aesathor",
		"":                 "",
	} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}
