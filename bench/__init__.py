"""Benchmarks: figures printed by scripts, never timed assertions in tests."""
