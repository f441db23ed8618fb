"""Mutation gate of the example scripts: do the behaviour checks catch realistic breakages?

Mutations are generated from each script's text, one edit at a time: drop a
line, swallow a check (`|| fail ...` becomes `|| true`), invert a condition,
drop a field of a JSON request, skip a wait (`sleep` becomes `break`), swallow
an exit status (`exit 1` becomes `exit 0`, `set -e`/`pipefail` dropped), drop
jq's `-e`. Each mutant that still parses (`bash -n`) runs, on a copy of the
scripts, against the checks of BEHAVIOUR in tests/test_examples_scripts.py,
each with a Nomad stand-in of its own; it is killed when one check fails.

Every survivor must be listed in tests/mutants-equivalent.yml with the
reason it is equivalent. The gate fails on an unexplained survivor, on any
survivor in backup.sh, or under 90 % killed.

A tool over the tests, so it lives with them: `make mutants` runs it as
`python tests/mutants.py` (its folder on the path, as for any script), and
tests/test_mutants.py imports it as pytest imports the other modules of tests/.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "examples" / "chapitre-3" / "scripts"
EQUIVALENT = Path(__file__).resolve().with_name("mutants-equivalent.yml")
TARGET = 0.90
# How long a mutated script may run before it counts as hanging (killed).
os.environ.setdefault("EXAMPLES_SCRIPT_TIMEOUT", "20")

_STRUCTURE = re.compile(r"^\s*(fi|done|esac|then|else|do|\}|\)|;;|[a-z|* ]+\))\s*$")
_INVERSIONS = [
    (" -lt ", " -ge "),
    (" -le ", " -gt "),
    (" -ge ", " -lt "),
    (" -gt ", " -le "),
    (" = ", " != "),
    (" == ", " != "),
    (" != ", " == "),
    ("[ -n ", "[ -z "),
    ("[ -z ", "[ -n "),
    (" > ", " <= "),
    (" >= ", " < "),
    (" < ", " >= "),
    ("[[ ", "[[ ! "),
]
_SWALLOW = re.compile(r"(\|\|\s*)(fail|refuse) .*$|(\|\|\s*)\{ echo .*exit \d; \}$")
_FIELDS = re.compile(r"\{((?:\\?\"?\w+\\?\"?: [^{},]+, )+(?:\\?\"?\w+\\?\"?: [^{},]+))\}")


@dataclass(frozen=True)
class Mutant:
    """One edit of one script: where, which kind, the line before and after."""

    script: str
    line: int
    kind: str
    before: str
    after: str

    def key(self) -> tuple[str, str, str, str]:
        """Identify the mutant by its text, not its line number (which moves)."""
        return (self.script, self.kind, self.before.strip(), self.after.strip())

    def apply(self, text: str) -> str:
        lines = text.split("\n")
        lines[self.line - 1] = self.after
        return "\n".join(lines)


def mutants_of(script: Path) -> list[Mutant]:
    """Generate the mutants of a script that still parse with `bash -n`."""
    text = script.read_text(encoding="utf-8")
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for kind, after in _edits(line):
            if after != line:
                found.append(Mutant(script.name, number, kind, line, after))
    unique = {m.key(): m for m in found}
    return [m for m in unique.values() if _parses(m.apply(text))]


def _edits(line: str) -> list[tuple[str, str]]:
    indent = line[: len(line) - len(line.lstrip())]
    stripped = line.strip()
    edits = []
    if stripped == "set -euo pipefail":
        return [
            ("swallow exit status", f"{indent}set -eu"),
            ("swallow exit status", "set -uo pipefail"),
        ]
    if not _STRUCTURE.match(line) and not line.rstrip().endswith(("\\", "||", "&&")):
        edits.append(("drop line", f"{indent}:"))
    swallow = _SWALLOW.search(line)
    if swallow:
        edits.append(("swallow check", line[: swallow.start()] + "|| true"))
    if re.match(r"^\s*(fail|refuse) ", line) and not stripped.startswith(("fail()", "refuse()")):
        edits.append(("swallow check", f"{indent}true"))
    for before, after in _INVERSIONS:
        start = line.find(before)
        while start != -1:
            edits.append(("invert condition", line[:start] + after + line[start + len(before) :]))
            start = line.find(before, start + 1)
    for match in _FIELDS.finditer(line):
        items = match.group(1).split(", ")
        for index in range(len(items)):
            rest = ", ".join(items[:index] + items[index + 1 :])
            edits.append(
                ("drop request field", line[: match.start(1)] + rest + line[match.end(1) :])
            )
    if re.search(r"\bsleep ", line):
        edits.append(("skip wait", re.sub(r'sleep "[^"]*"', "break", line)))
    for status in re.findall(r"\b(?:exit|return) [12]\b", line):
        edits.append(("swallow exit status", line.replace(status, status[:-1] + "0", 1)))
    for flag, plain in (("jq -e ", "jq "), ("jq -er ", "jq -r "), ("jq -en ", "jq -n ")):
        if flag in line:
            edits.append(("drop jq -e", line.replace(flag, plain, 1)))
    return edits


def _parses(text: str) -> bool:
    result = subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True)
    return result.returncode == 0


def run_mutant(mutant: Mutant) -> str | None:
    """Run the script's checks against the mutant; return the check that killed it."""
    # Imported here: the checks read EXAMPLES_SCRIPT_TIMEOUT, set above, when imported.
    from nomad_standin import NomadStandin
    from test_examples_scripts import BEHAVIOUR, Nomad

    with tempfile.TemporaryDirectory() as tmp:
        scripts = Path(tmp) / "scripts"
        shutil.copytree(SCRIPTS, scripts)
        target = scripts / mutant.script
        target.write_text(mutant.apply(target.read_text(encoding="utf-8")), encoding="utf-8")
        for number, check in enumerate(BEHAVIOUR[mutant.script]):
            work = Path(tmp) / f"check-{number}"
            work.mkdir()
            with NomadStandin(token="test-token") as standin:
                api = Nomad(standin.address, "test-token", standin, 0.02)
                try:
                    check(api, scripts, work)
                except Exception:  # a check that fails or breaks on the mutant's output
                    return check.__name__
    return None


def load_equivalent(path: Path = EQUIVALENT) -> dict[tuple[str, str, str, str], str]:
    """Read the survivors known to be equivalent: their key, and why."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or [] if path.exists() else []
    return {
        (e["script"], e["kind"], e["before"].strip(), e["after"].strip()): e["reason"]
        for e in entries
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--script", action="append", help="only this script (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    args = parser.parse_args()
    scripts = (
        [SCRIPTS / name for name in args.script] if args.script else sorted(SCRIPTS.glob("*.sh"))
    )
    mutants = [m for script in scripts for m in mutants_of(script)]
    if args.list:
        for m in mutants:
            print(f"{m.script}:{m.line}: {m.kind}: {m.after.strip()}")
        return 0
    equivalent = load_equivalent()
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = dict(zip(mutants, pool.map(run_mutant, mutants), strict=True))
    failed = False
    total_killed = total = 0
    for script in scripts:
        mine = [m for m in mutants if m.script == script.name]
        killed = [m for m in mine if results[m]]
        survivors = [m for m in mine if not results[m]]
        explained = [m for m in survivors if m.key() in equivalent]
        total_killed += len(killed)
        total += len(mine)
        score = len(killed) / len(mine) if mine else 1.0
        print(f"{script.name}: {len(killed)}/{len(mine)} killed ({score:.0%}), "
              f"{len(explained)} equivalent")  # fmt: skip
        for m in survivors:
            why = equivalent.get(m.key())
            print(f"  {m.script}:{m.line}: {m.kind}: {m.after.strip()}")
            print(f"    {'equivalent: ' + why if why else 'SURVIVED: no check catches it'}")
            if not why or script.name == "backup.sh":
                failed = True
    overall = total_killed / total if total else 1.0
    print(f"overall: {total_killed}/{total} killed ({overall:.0%}), target {TARGET:.0%}")
    return 1 if failed or overall < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
