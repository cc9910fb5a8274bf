// Profiles, experiments, sweeps, statistics and reports live here.
