"""Benchmarks: answer quality against simple baselines, matcher speed, end-to-end throughput.

`make bench` (or `python -m bench`) runs them all and prints tables, then one JSON line.
Speed figures drift on a shared machine, so each is printed next to a reference measured in
the same run, as a ratio.
"""
