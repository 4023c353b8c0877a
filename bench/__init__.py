"""Benchmarks (`make bench`): measured on the real path, written to BENCHMARKS.md."""
