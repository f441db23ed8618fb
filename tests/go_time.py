"""Go's time.Duration as the tests meet it: nanoseconds, and their `String()`.

Nomad's API carries every duration as nanoseconds. A jobspec writes them as Go
duration strings ("30s", "1h30m"); they are read once, by tools/hcljob, with
Go's own time.ParseDuration, as jobspec2 does (hcl_conversions.go
decodeDuration): what the tests get from it is already nanoseconds. The checks
word durations back as Nomad's messages do, with time.Duration.String.
"""

from __future__ import annotations

SECOND = 10**9
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE


def go_duration(nanoseconds: int) -> str:
    """Format nanoseconds as Go's time.Duration.String does (90s is "1m30s", 5m is "5m0s")."""
    if nanoseconds == 0:
        return "0s"
    sign = "-" if nanoseconds < 0 else ""
    n = abs(int(nanoseconds))
    if n < SECOND:
        for unit, size in (("ms", 10**6), ("µs", 10**3), ("ns", 1)):
            if n >= size:
                text = f"{n / size:.9f}".rstrip("0").rstrip(".")
                return f"{sign}{text}{unit}"
    hours, rest = divmod(n, HOUR)
    minutes, rest = divmod(rest, MINUTE)
    seconds = f"{rest / SECOND:.9f}".rstrip("0").rstrip(".")
    text = f"{seconds}s"
    if hours or minutes:
        text = f"{minutes}m{text}"
    if hours:
        text = f"{hours}h{text}"
    return sign + text


def seconds(nanoseconds: int) -> float:
    """Return a duration of the API (nanoseconds) in seconds."""
    return nanoseconds / SECOND
