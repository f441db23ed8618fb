"""The mutation gate (tests/mutants.py), checked fast: it finds mutants, and kills a known one.

The gate itself (`make mutants`) takes minutes and runs in its own CI job.
"""

from __future__ import annotations

import mutants


def test_mutants_are_generated_for_every_script() -> None:
    """Each script gets mutants of the kinds that make sense for it."""
    kinds = {
        path.name: {m.kind for m in mutants.mutants_of(path)}
        for path in sorted(mutants.SCRIPTS.glob("*.sh"))
    }
    assert set(kinds) == {"backup.sh", "deploy.sh", "monitor.sh", "rollback.sh", "scale.sh"}
    for found in kinds.values():
        assert {"drop line", "swallow check", "swallow exit status"} <= found
    assert {"invert condition", "drop request field", "skip wait", "drop jq -e"} <= kinds[
        "deploy.sh"
    ]


def test_mutant_without_the_keep_check_is_killed() -> None:
    """backup.sh without its BACKUP_KEEP check: a behaviour check catches it."""
    (mutant,) = [
        m
        for m in mutants.mutants_of(mutants.SCRIPTS / "backup.sh")
        if m.kind == "swallow check" and "BACKUP_KEEP" not in m.after and "keep" in m.before
    ]
    assert mutant.after.strip() == '[[ "$keep" =~ ^[1-9][0-9]*$ ]] || true'
    assert mutants.run_mutant(mutant) == "check_backup_refuses_keep_below_one"


def test_equivalent_mutants_each_have_a_reason() -> None:
    """Every entry of tests/mutants-equivalent.yml names its mutant and says why."""
    entries = mutants.load_equivalent()
    assert all(reason.strip() for reason in entries.values())
    generated = {m.key() for p in mutants.SCRIPTS.glob("*.sh") for m in mutants.mutants_of(p)}
    assert set(entries) - generated == set()
