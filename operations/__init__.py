"""Running the tracker, apart from the domain: loading the agreements, backup and restore,
synthetic data for benchmarks, demo users."""
