// Package forecast is the sandbox registry's immunization evaluator and
// forecaster: sandbox logic for training and testing, not clinical
// decision support. It is a small, schedule-based reading of the ACIP
// childhood and adolescent schedule for HepB, rotavirus, DTaP/Tdap/Td,
// Hib, pneumococcal, polio, MMR, varicella, HepA, MenACWY, HPV and
// influenza.
//
// Which vaccine groups a CVX code counts toward, and which live vaccines
// conflict when given close together, come from the CDC CDSi 4.64
// supporting data (package cdsi). Dose counts, minimum ages and intervals are
// the ACIP ones, written out in schedule.go as a table per group.
//
// Rules, in brief:
//   - A dose counts when it is given no more than 4 days (the grace period)
//     before the dose's minimum age and the minimum interval after the
//     previous valid dose, and before any maximum age. Otherwise it is not
//     valid, with the reason, and the same dose is still needed.
//   - Pediatric DTaP given on or after the 7th birthday, Td/Tdap before it,
//     partial doses, and live vaccines given 1-27 days after a different
//     live vaccine (CDSi conflicts; 1-23 days for the same vaccine) do not
//     count. Refused (RE) and not administered (NA) entries are not doses.
//   - A dose is skipped when the ACIP schedule (with its catch-up table)
//     makes it unnecessary, judged on the day of the dose or, for the
//     forecast, today: DTaP 5 when dose 4 was at 4 years or later, and from
//     the 7th birthday (also DTaP 4 from 7 years when dose 1 was at 1 year
//     or later; Tdap is then offered instead of DTaP); polio 4 when dose 3
//     was at 4 years or later and 6 months after dose 2; for Hib and
//     pneumococcal, the 4-week doses a late start no longer needs, so the
//     final dose (12 months or later, 8 weeks after the previous) comes
//     next, and no more doses after a dose at 15 months (Hib) or 24 months
//     (pneumococcal); MenACWY 2 after a first dose at 16; HPV 3 when the
//     series started before 15 and the doses were 5 months apart;
//     rotavirus 3 after two Rotarix doses; the adolescent Tdap when a
//     catch-up Tdap was given from 10 years.
//   - Doses are numbered as counted: the third valid Hib dose is dose 3
//     even when it replaces a skipped dose of the routine schedule.
//   - For the next dose: earliest = the later of minimum age and minimum
//     interval (the recommended interval where ACIP accepts a shorter one
//     afterwards: DTaP 4 6 months after dose 3, though 4 months counts;
//     varicella 2 under 13 3 months after dose 1, though 4 weeks counts);
//     due = the recommended age (or interval); overdue = the end of the
//     recommended window; latest = the day before the maximum age. Status
//     as of today: complete, on schedule (before due), due, overdue, or
//     too old (past the maximum age: rotavirus 8 months, Hib and
//     pneumococcal 5 years, HPV 27 years).
//   - Influenza is forecast per season (1 August - 30 June; in July, the
//     coming season, to which a dose given in July also counts): one dose
//     from 6 months (the nasal live vaccine from 2 years), two doses 4
//     weeks apart for children under 9 at the season's first dose with
//     fewer than two doses before 1 July.
//
// Simplified on purpose: no catch-up schedule for children who start late
// beyond the rules above (a Td/Tdap catch-up keeps the routine intervals;
// PedvaxHIB's shorter series is not modelled), rotavirus dose 1 after 15
// weeks is not counted, no high-risk indications, no contraindications or
// immunity, and no preferable-versus-allowable vaccine types.
package forecast
