//! Credit village: rule sets, scoring, grades, assessment workflow.
