package cdcsoap

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Whatever a server sends, DecodeResponse returns a response, a *Fault or
// an error wrapping ErrNotSOAP, and never panics; a decoded response
// survives re-encoding.
func FuzzDecodeResponse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add((&Response{Operation: OpSubmitSingleMessage, Return: hostile}).AppendXML(nil, SOAP11))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, v, err := DecodeResponse(bytes.NewReader(data))
		var fault *Fault
		switch {
		case errors.As(err, &fault):
			again := fault.AppendXML(nil, v)
			if _, _, err := DecodeResponse(bytes.NewReader(again)); !errors.As(err, new(*Fault)) {
				t.Fatalf("re-encoded fault decodes as %v", err)
			}
		case err != nil:
			if !errors.Is(err, ErrNotSOAP) {
				t.Fatalf("error does not wrap ErrNotSOAP: %v", err)
			}
		default:
			again, _, err := DecodeResponse(bytes.NewReader(r.AppendXML(nil, v)))
			if err != nil {
				t.Fatalf("re-encoded response: %v", err)
			}
			if again.Nil != r.Nil || (!r.Nil && again.Return != r.Return) {
				t.Fatalf("round trip changed the return: %q -> %q", r.Return, again.Return)
			}
		}
	})
}
