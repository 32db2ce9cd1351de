package sandbox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// FuzzAnswer: whatever arrives in hl7Message, the sandbox answers with an
// HL7 message that has an MSA, and never panics.
func FuzzAnswer(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "hl7", "testdata", "*.hl7"))
	files = append(files, filepath.Join("testdata", "seed.hl7"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1|9000001^^^SANDBOX^SR|SANDOVAL^Maya||20080412", "RCP|I|1")))
	f.Add([]byte(vxu("F", "ORC|RE||X^Y", rxa("20210101", "03", "L", "", "CP", "D"))))
	s, err := New(Options{Now: testNow})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		m, err := hl7.Parse(s.answer(msg))
		if err != nil {
			t.Fatalf("the answer is not HL7: %v", err)
		}
		if m.Get("MSA-1") == "" {
			t.Fatalf("the answer has no MSA-1")
		}
	})
}
