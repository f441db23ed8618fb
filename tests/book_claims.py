"""Check the claims a chapter makes against its examples (the `claims*.yml` files).

The claims are read and checked by publishing.claims, as the build reads them;
here are the checks that need the tests' own tools: a Nomad job as Nomad reads
it (tests/nomad_jobspec.py), the objects of a Kubernetes manifest
(tests/kubernetes_manifests.py), and the code of a page that no claim covers.
Every problem is one line, `file:line: message`; nothing here raises on bad input.
"""

from __future__ import annotations

from pathlib import Path

from kubernetes_manifests import read_manifests
from nomad_jobspec import ToolMissing, read_job

from publishing.claims import Claim, Text
from publishing.claims import check as check_claim

CODE_LANGUAGES = {"bash", "sh", "shell", "console", "hcl", "nomad", "terraform"}


def check(claim: Claim, root: Path) -> list[str]:
    """Check one claim: its sentence is still in the pages, and the example agrees."""
    return check_claim(claim, root, TOOLS)


def _job_problems(claim: Claim, path: Path) -> list[str]:
    # The job as Nomad reads it (tools/hcljob), with its variables' defaults.
    where, shown = claim.where, claim.file
    try:
        read = read_job(path, shown)
    except ToolMissing as missing:
        return [f"{where}: {missing}"]
    if read.job is None:
        found = "; ".join(read.problems) or "no job block"
        return [f"{where}: {shown} has no job Nomad can read: {found}"]
    job = read.job
    kind = job.value("type", "service")
    problems = []
    if kind != claim.args["type"]:
        problems.append(
            f'{where}: {shown}:{job.line}: job "{job.name}" is of type "{kind}", '
            f'the claim needs "{claim.args["type"]}"'
        )
    found = {block.type for block in job.walk()}
    for needed in claim.args.get("blocks", []):
        if needed not in found:
            problems.append(f"{where}: {shown} has no {needed} block")
    return problems


def _manifest_problems(claim: Claim, path: Path) -> list[str]:
    # The objects of a Kubernetes manifest file (its schemas are checked elsewhere).
    manifests, problems = read_manifests(path, claim.file)
    if problems:
        return [f"{claim.where}: {problem}" for problem in problems]
    found = [manifest.kind for manifest in manifests]
    defined = ", ".join(found) or "nothing"
    return [
        f"{claim.where}: {claim.file} defines no {kind} (it defines {defined})"
        for kind in claim.args["kinds"]
        if kind not in found
    ]


TOOLS = {"job": _job_problems, "manifest": _manifest_problems}


def unchecked_code(text: Text, shown: str, claimed: set[str]) -> list[str]:
    """Return the shell and Nomad code lines of a page that nothing checks."""
    problems = []
    for fence in text.fences:
        if fence.language not in CODE_LANGUAGES:
            continue
        for offset, line in enumerate(fence.lines):
            if not line.strip() or line.strip().startswith("--8<--") or line in claimed:
                continue
            problems.append(
                f"{shown}:{fence.start + 2 + offset}: this {fence.language} line is "
                "checked by no test: include the code from examples/ with "
                '`--8<-- "examples/..."`, or tie the line to an example in a '
                "claims.yml (`in_block`)"
            )
    return problems
