package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs the command line in-process and returns its exit code and
// output.
func runCmd(t *testing.T, stdin string, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	code := run(&env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: getenv}, args)
	return code, out.String(), errb.String()
}

const samples = "../../hl7/testdata"

func TestDecodeCommand(t *testing.T) {
	ctwiz := filepath.Join(samples, "rsp_z42_ct_wiz_webiz.hl7")
	data, err := os.ReadFile(ctwiz)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains []string
		stderr   string
	}{
		{"readable", []string{"decode", ctwiz}, "", exitOK,
			[]string{"Outcome: record", "BUTTE, DIANTHE MARIAM  born 08/15/2014  sex F  registry ID 867287", "08/26/2015  MMRV", "Varicella", "historical",
				// One row per vaccine group in the screen's words and order (issue 10, 11.11).
				"  DTaP/Tdap/Td   OVERDUE   -     09/26/2014  10/15/2014  12/12/2014  09/24/2018\n  HepA ",
				"  Polio          OVERDUE   -     09/26/2014  10/15/2014  12/12/2014  09/24/2018\n  HPV            Upcoming",
				"  Complete: MMR, Varicella; Too old: Rotavirus\n  2 left out as they begin at adult age: Zoster at 50, Pneumococcal at 65."}, ""},
		{"decoder notes", []string{"decode", "-"}, "MSH|^~\\&|IIS|X|||20240101||RSP^K11^RSP_K11|9|P|2.5.1|||||||||Z32^CDCPHINVS\rMSA|AA|Q1\rQAK|T|OK\r" +
			"PID|1||1^^^CT^SR||A^B||20200101|F\rXYZ|1\r", exitOK,
			[]string{"Notes (what ctwiz-nurse skipped or could not check in the reply)\n  segment XYZ not understood; skipped"}, ""},
		{"refused dose in words", []string{"decode", "-"}, "MSH|^~\\&|IIS|X|||20240101||RSP^K11^RSP_K11|9|P|2.5.1|||||||||Z32^CDCPHINVS\rMSA|AA|Q1\rQAK|T|OK\r" +
			"PID|1||1^^^CT^SR||A^B||20200101|F\rRXA|0|1|20200301||03^MMR^CVX|0||||||||||||00^Parental decision^NIP002||RE\r", exitOK,
			[]string{"03/01/2020  MMR", "              refused: Parental decision\n"}, ""},
		{"RXA-9 empty is source not stated", []string{"decode", "-"}, "MSH|^~\\&|IIS|X|||20240101||RSP^K11^RSP_K11|9|P|2.5.1|||||||||Z32^CDCPHINVS\rMSA|AA|Q1\rQAK|T|OK\r" +
			"PID|1||1^^^CT^SR||A^B||20200101|F\rRXA|0|1|20200301||03^MMR^CVX|0\r", exitOK,
			[]string{"              source not stated\n"}, ""},
		{"an ACK AA without ERR was accepted", []string{"decode", "-"}, "MSH|^~\\&|IIS|X|||20240101||ACK^Q11^ACK|9|P|2.5.1\rMSA|AA|Q1\r", exitOK,
			[]string{"Outcome: error (the registry accepted the message (MSA AA) but sent no record)"}, ""},
		{"stdin dash", []string{"decode", "-"}, string(data), exitOK, []string{"registry ID 867287"}, ""},
		{"stdin implicit, flag after", []string{"decode", "--json"}, string(data), exitOK, []string{`"registryId": "867287"`}, ""},
		{"flag after file", []string{"decode", ctwiz, "--json"}, "", exitOK, []string{`"outcome": "record"`}, ""},
		{"warning record", []string{"decode", filepath.Join(samples, "rsp_z42_webiz_ae_with_err_warning.hl7")}, "", exitOK,
			[]string{"MSA AE", "Outcome: record", "warning Internal Parser Error: Field too long: 16 > 15 [QPD-3.1 999\n  3/WEBIZ-501]"}, ""},
		{"candidates", []string{"decode", filepath.Join(samples, "rsp_z31_ig_two_candidates.hl7")}, "", exitOK,
			[]string{"1. Child, Robert", "2. Child, Robert", "registry ID 123456"}, ""},
		{"not HL7", []string{"decode", "-"}, "<html>502 Bad Gateway</html>", exitFailure, nil, "not an HL7 v2 message"},
		{"a query is not a reply", []string{"decode", filepath.Join(samples, "qbp_z44_nist_qr_1_1.hl7")}, "", exitFailure, nil, "not an RSP or ACK reply"},
		{"missing file", []string{"decode", "/nonexistent/reply.hl7"}, "", exitFailure, nil, "no such file"},
		{"two files", []string{"decode", "a", "b"}, "", exitUsage, nil, "give one file"},
		{"unknown flag", []string{"decode", "--xml"}, "", exitUsage, nil, "flag provided but not defined"},
		{"help", []string{"decode", "-h"}, "", exitOK, nil, "Usage: ctwiz-nurse decode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCmd(t, c.stdin, nil, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, errs)
			}
			// The readable record fits 80 columns, and a dose not given is
			// never "administered" (issue 11.11).
			for _, l := range strings.Split(out, "\n") {
				if n := len([]rune(l)); n > 80 && !strings.Contains(c.name, "json") && !strings.HasPrefix(c.name, "stdin implicit") && !strings.HasPrefix(c.name, "flag after") {
					t.Errorf("a line of %d columns: %q", n, l)
				}
			}
			if strings.Contains(out, "refused") && strings.Contains(out, "administered") {
				t.Errorf("a refused dose reads as administered:\n%s", out)
			}
			for _, s := range c.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			if c.stderr != "" && !strings.Contains(errs, c.stderr) {
				t.Errorf("stderr lacks %q: %s", c.stderr, errs)
			}
		})
	}
}

func TestDecodeJSONIsThePublicShape(t *testing.T) {
	code, out, errs := runCmd(t, "", nil, "decode", "--json", filepath.Join(samples, "rsp_z42_ct_wiz_webiz.hl7"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Profile, Status, Ack, ControlID, Outcome string
		Patients                                 []map[string]any
		Immunizations                            []struct {
			Date, CVX, Vaccine string
			Historical         bool
			Evaluations        []map[string]string
		}
		Forecast []map[string]any
		Errors   []map[string]string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Profile != "Z42" || doc.Status != "OK" || doc.Ack != "AA" || doc.ControlID != "41zv-QA.2.1.2" || doc.Outcome != "record" {
		t.Errorf("header = %+v", doc)
	}
	p := doc.Patients[0]
	for _, k := range []string{"registryId", "ids", "family", "given", "middle", "birthDate", "sex", "motherMaidenName", "address", "phone"} {
		if _, ok := p[k]; !ok {
			t.Errorf("patient lacks %q", k)
		}
	}
	if p["birthDate"] != "2014-08-15" {
		t.Errorf("birthDate = %v", p["birthDate"])
	}
	if im := doc.Immunizations[1]; im.Date != "2018-08-26" || im.CVX != "94" || !im.Historical || im.Evaluations[0]["dose"] != "2" {
		t.Errorf("second dose = %+v", im)
	}
	f := doc.Forecast[1]
	for _, k := range []string{"group", "cvx", "vaccine", "status", "dose", "earliest", "due", "overdue", "latest", "reason", "order", "adultOnly"} {
		if _, ok := f[k]; !ok {
			t.Errorf("forecast lacks %q", k)
		}
	}
	if f["group"] != "Pneumococcal" || f["due"] != "2014-10-15" || f["status"] != "overdue" || f["order"] != 1.0 || f["adultOnly"] != false {
		t.Errorf("forecast[1] = %v", f)
	}
	// Every entry as sent (18), the adult ones marked rather than dropped.
	if f := doc.Forecast[14]; len(doc.Forecast) != 18 || f["group"] != "Pneumococcal" || f["due"] != "2079-08-15" || f["order"] != 0.0 || f["adultOnly"] != true {
		t.Errorf("%d entries; forecast[14] = %v", len(doc.Forecast), doc.Forecast[14])
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errs := runCmd(t, "", nil, "frobnicate")
	if code != exitUsage || !strings.Contains(errs, "unknown command (not shown, in case it is a password)") || strings.Contains(errs, "frobnicate") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
}

// `query --sex female` is accepted as the search form accepts it, and the
// record comes back (issue 11.11); a word that is no sex is refused.
func TestQuerySexWords(t *testing.T) {
	student := []string{"query", "--sandbox", "--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12"}
	for _, sex := range []string{"female", "F", "Female"} {
		if code, out, errs := runCmd(t, "", nil, append(student, "--sex", sex)...); code != exitOK || !strings.Contains(out, "Outcome: record") {
			t.Errorf("--sex %s: exit %d\n%s%s", sex, code, out, errs)
		}
	}
	if code, _, errs := runCmd(t, "", nil, append(student, "--sex", "girl")...); code != exitUsage || !strings.Contains(errs, "--sex: type F, M or U (or female, male, unknown)") {
		t.Errorf("--sex girl: exit %d, %s", code, errs)
	}
}
