// Package schoolentry checks a student's registry record against
// Connecticut's school-entry immunization requirements for her grade:
// for each requirement that applies (DTaP/Tdap/Td, Tdap, Polio, MMR, HepB,
// Varicella, Hib, Pneumococcal, HepA, Influenza, MenACWY) whether it is
// met, in process (the missing dose cannot be given yet) or missing, and
// the overall status a school uses: compliant, in process or not
// compliant.
//
// The rules are data, not code: one JSON file per school year in rules/
// (ct-2025-26.json, ct-2026-27.json...), each rule with its source, built
// into the program and chosen by the school year (1 August to 31 July) of
// the check date. A later year is a new file.
//
// A dose counts when the registry evaluated it valid for the vaccine
// group. When the registry did not evaluate it, it counts if it meets the
// ACIP minimum age and interval of the year's schedule with the 4-day grace
// period and is not a live vaccine given too soon after another (CDSi
// live-virus conflicts, package cdsi). Refused, not administered and
// partial doses never count; deleted ones never reach here. Combination
// vaccines count for each component (CDSi supporting data).
//
// What the registry cannot know (laboratory immunity, a verified varicella
// history, medical exemptions, grandfathered religious exemptions) stays
// with the nurse: a requirement that is not met names the documents that
// could satisfy it; the check never infers one.
//
// The result is ctwiz-nurse's reading, labelled as such (Result.Label),
// never an official determination; the registry's own forecast stays as
// the registry sent it.
package schoolentry
