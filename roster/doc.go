// Package roster checks a whole class against Connecticut's school-entry
// requirements, one student at a time: a nurse exports a class list from
// her student information system, and each student ends with one Outcome
// (compliant, in process, not compliant with what is missing, not found,
// needs review, too many, error).
//
// A Checker checks one Student with a query.Client (Find, never Fetch:
// several candidates are kept for the nurse and never picked for her) and
// package schoolentry. It keeps no state between students and does no
// pacing: the command and the interface call it one student at a time,
// with the pause they choose, so a run is never parallel.
//
// Result.Pause says when a failure is not the student's but the whole
// run's (CT WiZ refused the account, or stopped answering): the caller
// stops there instead of failing every remaining student.
//
// WriteSummary and WriteLetters make the school's summary and one letter
// per student not compliant from the report as ReadReport reads it back
// (so a resumed run's rows count too), through printout.Document.
//
// The package imports query, schoolentry, hl7 and printout, never tui:
// the command and the interface both drive it.
package roster
