package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEStaysInRepository: the README and the architecture map are
// whole on their own (issue 11.21): every link that is not a web address
// or an anchor names a file of this repository, and no text points to a
// folder outside it.
func TestREADMEStaysInRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, doc := range []string{"README.md", "ARCHITECTURE.md"} {
		data, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, outside := range []string{"../", "shared/reference", "shared/architecture"} {
			if strings.Contains(text, outside) {
				t.Errorf("%s points outside the repository: %q", doc, outside)
			}
		}
		for _, m := range link.FindAllStringSubmatch(text, -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(root, target)); err != nil {
				t.Errorf("%s links to %s, not a file of the repository", doc, m[1])
			}
		}
	}
}
