"""``staffroom demo``: a simulated school, told chapter by chapter; its synthetic school is shared by tests and benchmarks."""
