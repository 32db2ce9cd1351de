// Package forecast is the sandbox registry's immunization evaluator and
// forecaster: sandbox logic for training and testing, not clinical
// decision support. It is a small, schedule-based reading of the ACIP
// childhood and adolescent schedule for HepB, rotavirus, DTaP/Tdap/Td,
// Hib, pneumococcal, polio, MMR, varicella, HepA, MenACWY, HPV and
// influenza.
//
// Which vaccine groups a CVX code counts toward, and which live vaccines
// conflict when given close together, come from the CDC CDSi 4.64
// supporting data (embedded). Dose counts, minimum ages and intervals are
// the ACIP ones, written out in schedule.go as a table per group.
//
// Rules, in brief:
//   - A dose counts when it is given no more than 4 days (the grace period)
//     before the dose's minimum age and the minimum interval after the
//     previous valid dose, and before any maximum age. Otherwise it is not
//     valid, with the reason, and the same dose is still needed.
//   - Pediatric DTaP given on or after the 7th birthday, Td/Tdap before it,
//     partial doses, and live vaccines given 1-27 days after another live
//     vaccine (CDSi conflicts) do not count. Refused (RE) and not
//     administered (NA) entries are not doses.
//   - A dose is skipped when the ACIP schedule makes it unnecessary: DTaP 5
//     and polio 4 when the previous dose was at 4 years or later, Hib and
//     pneumococcal doses after a dose at 12-15 months or later, MenACWY 2
//     after a first dose at 16, HPV 3 when the series started before 15 and
//     the doses were 5 months apart, rotavirus 3 after two Rotarix doses.
//   - For the next dose: earliest = the later of minimum age and minimum
//     interval; due = the recommended age (or interval); overdue = the end
//     of the recommended window; latest = the day before the maximum age.
//     Status as of today: complete, on schedule (before due), due,
//     overdue, or too old (past the maximum age: rotavirus 8 months, Hib
//     and pneumococcal 5 years, HPV 27 years).
//   - Influenza is forecast per season (1 August - 30 June): one dose from
//     6 months, two doses 4 weeks apart for children under 9 with fewer
//     than two earlier doses.
//
// Simplified on purpose: no catch-up schedule for children who start late
// (beyond the skip rules above), no high-risk indications, no
// contraindications or immunity, and no preferable-versus-allowable
// vaccine types.
package forecast
