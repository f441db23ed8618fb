"""The Kubernetes examples: strict schemas of the pinned version, yamllint, kubectl's commands.

Each manifest (`examples/<chapter>/kubernetes/*.yaml`) is validated offline
against the strict schemas of Kubernetes `KUBERNETES_VERSION`, laid out as
yamllint's rules say; each file of kubectl commands (`*.kubectl`) names only
commands and flags of the pinned kubectl, and objects of the manifests beside it.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import kubernetes_manifests
import pytest
from kubernetes_manifests import (
    KUBERNETES_VERSION,
    ROOT,
    command_problems,
    layout_problems,
    objects_of,
    schema_problems,
)

MANIFESTS = sorted(ROOT.glob("examples/*/kubernetes/*.yaml"))
COMMANDS = sorted(ROOT.glob("examples/*/kubernetes/*.kubectl"))
BAD = ROOT / "tests" / "data" / "kubernetes"
EXAMPLE_PAGES = [
    ROOT / "docs" / "chapitre-3" / "exemples.md",
    ROOT / "docs" / "chapitre-3" / "exemples.en.md",
]


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


@cache
def _layout() -> tuple[str, ...]:
    # One yamllint run for every manifest: its start-up costs more than its checks.
    return tuple(layout_problems(MANIFESTS))


def test_kubernetes_examples_are_found() -> None:
    """Guard the discovery: chapter 3's twins are there to be parametrized."""
    names = {p.name for p in [*MANIFESTS, *COMMANDS]}
    assert {
        "web-simple.yaml",
        "web.yaml",
        "web-autoscaling.yaml",
        "worker.yaml",
        "cron.yaml",
        "migrate.yaml",
        "deploy.kubectl",
        "rollback.kubectl",
        "scale.kubectl",
        "monitor.kubectl",
        "backup.kubectl",
    } <= names


@pytest.mark.parametrize("path", MANIFESTS, ids=_ids(MANIFESTS))
def test_manifest_matches_schema(path: Path) -> None:
    """Validate every object against the strict schema of the pinned Kubernetes version."""
    assert schema_problems(path, str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize("path", MANIFESTS, ids=_ids(MANIFESTS))
def test_manifest_layout(path: Path) -> None:
    """Lay out every manifest as yamllint's rules say (tests/kubernetes_yamllint.yml)."""
    shown = str(path.relative_to(ROOT))
    assert [p for p in _layout() if p.startswith(f"{shown}:")] == []


@pytest.mark.parametrize("path", COMMANDS, ids=_ids(COMMANDS))
def test_kubectl_commands_exist(path: Path) -> None:
    """Name only kubectl's commands and flags, and objects the manifests beside them define."""
    objects = objects_of(sorted(path.parent.glob("*.yaml")))
    assert command_problems(path, str(path.relative_to(ROOT)), objects) == []


def test_schema_bad_fixture_reported_with_lines() -> None:
    """Name each unknown field, wrong type and unknown kind, with its file and line."""
    shown = "tests/data/kubernetes/bad-fields.yaml"
    assert schema_problems(BAD / "bad-fields.yaml", shown) == [
        f"{shown}:7: Deployment web: spec.replicas: '3' is not of type 'integer', 'null'",
        f"{shown}:19: Deployment web: spec.template.spec.containers[0].imagePullPolicyy: "
        "unknown field (Kubernetes 1.37)",
        f"{shown}:21: Deployment web: spec.template.spec.containers[0].ports[0].containerPort: "
        "'http' is not of type 'integer'",
        f"{shown}:29: CronJob cleanup: spec.concurrency: unknown field (Kubernetes 1.37)",
        f"{shown}:39: Ingress web: Kubernetes 1.37 has no extensions/v1beta1 Ingress "
        "(no schema in v1.37.0-local-strict)",
    ]


def test_schema_invalid_yaml_reported_with_line(tmp_path: Path) -> None:
    """Report a YAML syntax error with its line, not a traceback."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: v1\nkind: Service\nmetadata: [unclosed\n", encoding="utf-8")
    assert schema_problems(broken, "broken.yaml") == [
        "broken.yaml:4: not valid YAML: did not find expected ',' or ']'"
    ]


def test_layout_bad_fixture_reported_with_lines() -> None:
    """Name each of yamllint's findings with its file, line and rule."""
    shown = "tests/data/kubernetes/bad-layout.yaml"
    assert layout_problems([BAD / "bad-layout.yaml"]) == [
        f"{shown}:4: yamllint indentation: wrong indentation: expected 2 but found 3",
        f"{shown}:6: yamllint truthy: truthy value should be one of [false, true]",
        f'{shown}:9: yamllint key-duplicates: duplication of key "selector" in mapping',
        f"{shown}:13: yamllint hyphens: too many spaces after hyphen",
        f"{shown}:13: yamllint trailing-spaces: trailing spaces",
    ]


def test_commands_bad_fixture_reported_with_lines() -> None:
    """Name an unknown subcommand, flag, file or object, and a command that is not kubectl's."""
    shown = "tests/data/kubernetes/bad-commands.kubectl"
    objects = objects_of(MANIFESTS)
    assert command_problems(BAD / "bad-commands.kubectl", shown, objects) == [
        f"{shown}:2: kubectl rollout undoo deployment/web: no such command",
        f"{shown}:3: deployment/api: no such object in the manifests beside it",
        f"{shown}:4: kubectl scale: unknown flag --replica",
        f"{shown}:5: absent.yaml is not a file beside bad-commands.kubectl",
        f"{shown}:6: only kubectl commands here, not 'curl'",
    ]


def test_pinned_kubectl_is_the_schemas_version() -> None:
    """Keep kubectl and the schemas on the one Kubernetes version the pages state."""
    version = subprocess.run(
        [kubernetes_manifests._tool("kubectl"), "version", "--client"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"Client Version: v(\d+\.\d+)\.", version)[1] == KUBERNETES_VERSION
    assert kubernetes_manifests.SCHEMAS.is_dir()
    for page in EXAMPLE_PAGES:
        stated = set(re.findall(r"Kubernetes (1\.\d+)", page.read_text(encoding="utf-8")))
        assert stated == {KUBERNETES_VERSION}, page
