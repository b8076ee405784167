"""Benchmarks: our pipeline measured against the tools a researcher would otherwise use, in one
run on one machine. `python benchmarks/run.py [--smoke | --quick]`; see benchmarks/RESULTS.md."""
