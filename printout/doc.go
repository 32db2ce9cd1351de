// Package printout renders one student's immunization record (an
// *hl7.Response with outcome "record") as a US Letter PDF a nurse can hand
// to a parent or file, and hands that PDF to the system: a CUPS printer
// through lp, the desktop's PDF viewer, or a file she names.
//
// The document is black-and-white readable and deterministic: the same
// record and the same Info give the same bytes. Text is set in DejaVu Sans
// Condensed, embedded in the binary (see fonts/LICENSE), so names in Latin
// scripts (Polish, Vietnamese and Turkish letters included), Greek and
// Cyrillic print as the registry spelled them, without relying on fonts
// installed on the nurse's computer. The font has no CJK glyphs; characters
// beyond the Basic Multilingual Plane (emoji) print as U+FFFD.
//
// PDFs that only exist to be handed to another program live in a Spool: a
// private directory (mode 0700) of 0600 files, removed after the print job
// is handed over or when the Spool is closed at exit.
package printout
