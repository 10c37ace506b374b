"""Helpers the benchmark scripts share (they print figures; none of this is a test)."""

import resource


def check(condition, message="") -> None:
    """Stop the benchmark when what it measured is not what it meant to measure."""
    if not condition:
        raise SystemExit(f"benchmark check failed: {message}")


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
