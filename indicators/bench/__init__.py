"""Benchmarks: `python -m indicators bench` prints one figure a line (`name: value unit`) and a summary.

Each figure is the median of several runs; where it makes sense it is also given as a ratio against a
naive baseline run in the same process (row-by-row inserts, Python loops over pandas rows). A part whose
module has not landed (or fails) prints `name: n/a unit (reason)` instead of crashing the command.
"""
