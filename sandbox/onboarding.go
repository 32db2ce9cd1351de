package sandbox

import _ "embed"

// OnboardingScenarios is the scenario file of `ctwiz-nurse onboard
// --sandbox` (package onboard reads it): the built-in students, one row
// per outcome the sandbox answers (record, candidates, too many, not
// found).
//
//go:embed scenarios.csv
var OnboardingScenarios []byte
