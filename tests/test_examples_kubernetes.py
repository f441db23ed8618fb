"""The Kubernetes examples: strict schemas of the pinned version, yamllint, kubectl's commands.

Each manifest (`examples/<chapter>/kubernetes/*.yaml`) is validated offline
against the strict schemas of Kubernetes `KUBERNETES_VERSION`, laid out as
yamllint's rules say, and names only objects the folder defines (kube-linter's
cross-object checks); each file of kubectl commands (`*.kubectl`) names only
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
    reference_problems,
    schema_problems,
)

from publishing import line_counts
from publishing.build import read_texts

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


FOLDERS = sorted({path.parent for path in MANIFESTS})


@pytest.mark.parametrize("folder", FOLDERS, ids=_ids(FOLDERS))
def test_manifests_refer_to_what_they_define(folder: Path) -> None:
    """Let no selector, backend, autoscaler target, probe port or image tag dangle."""
    assert reference_problems(sorted(folder.glob("*.yaml"))) == []


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


def test_references_bad_fixture_reported_with_lines() -> None:
    """Name each dangling reference with its line and the kube-linter check it follows."""
    shown = "tests/data/kubernetes/bad-references.yaml"
    assert reference_problems([BAD / "bad-references.yaml"]) == [
        f"{shown}:8: mismatching-selector: Deployment web: its selector {{'app': 'web'}} does "
        "not match its pods' labels {'app': 'frontend'}",
        f"{shown}:17: latest-tag: Deployment web: image 'registry.example.com/shop/web' has no "
        "pinned tag",
        f"{shown}:21: probe-port: Deployment web: readinessProbe names port 'http', which "
        "container 'app' lacks",
        f"{shown}:29: dangling-service: Service api: no pod of these manifests has the labels "
        "{'app': 'api'}",
        f"{shown}:46: dangling-ingress: Ingress web: no Service 'web' in these manifests",
        f"{shown}:55: dangling-ingress: Ingress web: Service 'api' has no port named 'grpc'",
        f"{shown}:65: dangling-horizontalpodautoscaler: HorizontalPodAutoscaler worker: no "
        "Deployment 'worker' in these manifests",
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


# The examples page: each Nomad example beside its twin, in tabs with computed counts.

_TAB = re.compile(r'^===[!+]{0,2} +"([^"]*)"')
_INCLUDE = re.compile(r'^\s+--8<-- "([^"]+)"$')


def tabbed_sets(text: str) -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """Return a page's tabbed sets: the line of each, and each tab's label and included files."""
    sets: list[tuple[int, list[tuple[str, list[str]]]]] = []
    in_set = False
    for number, line in enumerate(text.split("\n"), start=1):
        tab = _TAB.match(line)
        if tab:
            if not in_set:
                sets.append((number, []))
            sets[-1][1].append((tab[1], []))
            in_set = True
        elif line.strip() and not line.startswith("    "):
            in_set = False
        elif in_set and _INCLUDE.match(line):
            sets[-1][1][-1][1].append(_INCLUDE.match(line)[1])
    return sets


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=_ids(EXAMPLE_PAGES))
def test_examples_page_pairs_every_example_with_its_twin(page: Path) -> None:
    """Show each Nomad job and script in a Nomad tab, its Kubernetes twin in the tab beside it."""
    shown = str(page.relative_to(ROOT))
    sets = tabbed_sets(page.read_text(encoding="utf-8"))
    problems = [
        f"{shown}:{line}: a tabbed set is labelled {' | '.join(label for label, _ in tabs)}, "
        "not Nomad | Kubernetes"
        for line, tabs in sets
        if [label for label, _ in tabs] != ["Nomad", "Kubernetes"]
    ]
    problems += [
        f"{shown}:{line}: the {label} tab includes no example: include its file there "
        "(a Kubernetes twin goes in examples/<chapter>/kubernetes/)"
        for line, tabs in sets
        for label, files in tabs
        if not files
    ]
    shown_in = {
        "Nomad": [f for _, tabs in sets for f in tabs[0][1]],
        "Kubernetes": [f for _, tabs in sets for f in tabs[-1][1]],
    }
    wanted = {
        "Nomad": sorted(ROOT.glob("examples/chapitre-3/jobs/*"))
        + sorted(ROOT.glob("examples/chapitre-3/scripts/*")),
        "Kubernetes": [*MANIFESTS, *COMMANDS],
    }
    for label, paths in wanted.items():
        for path in map(lambda p: str(p.relative_to(ROOT)), paths):
            if shown_in[label].count(path) != 1:
                problems.append(
                    f"{shown}:1: {path} is in {shown_in[label].count(path)} {label} tabs, not 1"
                )
    assert problems == []


def test_line_counts_follow_the_included_files(tmp_path: Path) -> None:
    """Count the lines of a tab's included files; a change of the file changes the label."""
    labels = line_counts.checked_labels(read_texts(str(ROOT / "hooks" / "line_counts.py")))
    example = tmp_path / "examples" / "job.yaml"
    example.parent.mkdir()
    example.write_text("a: 1\nb: 2\n", encoding="utf-8")
    markdown = [
        "Text.",
        "",
        '=== "Nomad"',
        "",
        '    ```yaml title="examples/job.yaml"',
        '    --8<-- "examples/job.yaml"',
        "    ```",
        "",
        '=== "Kubernetes"',
        "",
        "    No file here.",
        "",
        "```markdown",
        '=== "In a code block"',
        "```",
    ]
    assert list(line_counts.count_tabs(markdown, tmp_path)) == [(2, 2, []), (8, None, [])]
    assert line_counts.label_line(markdown[2], 2, labels["fr"]) == '=== "Nomad · 2 lignes"'
    assert line_counts.label_line(markdown[2], 1, labels["en"]) == '=== "Nomad · 1 line"'
    example.write_text("a: 1\n", encoding="utf-8")
    assert next(iter(line_counts.count_tabs(markdown, tmp_path))) == (2, 1, [])


def test_line_counts_refuse_part_of_a_file(tmp_path: Path) -> None:
    """Say why a tab that includes part of a file, or a missing file, gets no honest count."""
    markdown = [
        '=== "Nomad"',
        '    --8<-- "examples/job.yaml:1:3"',
        '    --8<-- "examples/absent.yaml"',
    ]
    assert list(line_counts.count_tabs(markdown, tmp_path)) == [
        (
            0,
            0,
            [
                "the tab includes part of a file (examples/job.yaml:1:3), and its line count "
                "would count the whole file: include the whole file, or put the part in a file "
                "of its own",
                "the tab's line count needs examples/absent.yaml, which cannot be read",
            ],
        )
    ]
