// Package cdsi is the CDC's Clinical Decision Support for Immunization
// (CDSi) supporting data, version 4.64, built into the program: which
// vaccine groups each CVX code counts toward (a combination vaccine counts
// toward each of its components) and which live vaccines conflict when
// given close together. It also reads the schedule's lengths of time
// ("4 weeks - 4 days") as Spans and adds them to dates the CDSi way.
//
// The data file is cdsi-4.64-ScheduleSupportingData.xml as published by the
// CDC (https://www.cdc.gov/iis/cdsi/, "Supporting Data"), unchanged. The
// sandbox's forecaster and the school-entry check both read it from here,
// so the program carries one copy.
package cdsi
