"""The stand-in answers as Nomad does: the same requests, the same codes, bodies of the same shape.

tests/data/nomad-conformance/requests.yml lists requests and what Nomad's
source answers to each. In `make test` they go to the stand-in (it must answer
as recorded); with NOMAD_ADDR set (CI's `nomad agent -dev`), to the agent too,
and each answer of the stand-in is compared with the agent's.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from nomad_standin import NomadStandin

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = ROOT / "tests" / "data" / "nomad-conformance" / "requests.yml"
REAL_NOMAD = os.environ.get("NOMAD_ADDR")
# Maps whose keys are the job's own (meta, task config, env): compared as objects only.
FREE_FORM = {"Meta", "Config", "Env"}


def test_standin_answers_as_recorded() -> None:
    """Send every recorded request to the stand-in: the codes and texts Nomad's source has."""
    with NomadStandin() as standin:
        answers = replay(standin.address)
    problems = [
        f"{REQUESTS.name}:{name}: {answer[0]} {answer[1]!r}, Nomad answers {expected}"
        for name, expected, answer in answers
        if answer[:2] != expected
    ]
    assert problems == []


def test_standin_answers_as_the_agent_does() -> None:
    """With NOMAD_ADDR, send them to the agent too: same codes, same texts, same shapes."""
    if not REAL_NOMAD:
        pytest.skip("needs a real agent: NOMAD_ADDR=http://127.0.0.1:4646 (CI's nomad job)")
    agent = replay(REAL_NOMAD.rstrip("/"))
    with NomadStandin() as standin:
        ours = replay(standin.address)
    problems = []
    for (name, _, real), (_, _, mine) in zip(agent, ours, strict=True):
        if real[:2] != mine[:2]:
            problems.append(f"{name}: stand-in {mine[:2]}, agent {real[:2]}")
        problems += [f"{name}: {p}" for p in shape_problems(mine[2], real[2], "body")]
    assert problems == []


def shape_problems(mine: Any, real: Any, where: str) -> list[str]:
    """Every key the stand-in answers must be in the agent's answer, with the same JSON type."""
    if mine is None or real is None:
        return [] if mine is None else [f"{where}: stand-in {_kind(mine)}, agent null"]
    if _kind(mine) != _kind(real):
        return [f"{where}: stand-in {_kind(mine)}, agent {_kind(real)}"]
    if isinstance(mine, dict):
        problems = []
        for key, value in mine.items():
            if key not in real:
                problems.append(f"{where}.{key}: not in the agent's answer")
            elif key not in FREE_FORM:
                problems += shape_problems(value, real[key], f"{where}.{key}")
        return problems
    if isinstance(mine, list) and mine and real:
        return shape_problems(mine[0], real[0], f"{where}[0]")
    return []


def _kind(value: Any) -> str:
    kinds = {bool: "boolean", int: "number", float: "number", str: "string", list: "array"}
    return kinds.get(type(value), "object" if isinstance(value, dict) else "null")


def replay(address: str) -> list[tuple[str, tuple, tuple]]:
    """Send the recorded requests in order; return (name, expected, (code, text, json))."""
    steps = yaml.safe_load(REQUESTS.read_text(encoding="utf-8"))
    saved: dict[str, Any] = {}
    answers = []
    _send(address, "DELETE", "/v1/job/app?purge=true", None)
    for step in steps:
        if "wait" in step:
            _wait(address, step["wait"])
            continue
        body = _fill(step.get("body"), saved)
        code, raw = _send(address, step["method"], step["path"], body)
        value = None
        text = None
        if code < 300 and not step.get("binary"):
            value = json.loads(raw or b"null")
        elif code >= 300:
            text = raw.decode(errors="replace").strip()
        if "save" in step:
            saved[step["save"]] = value
        name = f"{step['method']} {step['path']}"
        expected = (step["status"], step.get("text"))
        answers.append((name, expected, (code, text if "text" in step else None, value)))
    _send(address, "DELETE", "/v1/job/app?purge=true", None)
    return answers


def _fill(body: Any, saved: dict[str, Any]) -> Any:
    if isinstance(body, dict):
        return {k: _fill(v, saved) for k, v in body.items()}
    if isinstance(body, str) and body.startswith("$"):
        return saved[body[1:]]
    if isinstance(body, str) and body.startswith("@"):
        return (ROOT / body[1:]).read_text(encoding="utf-8")
    return body


def _send(address: str, method: str, path: str, body: Any) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(address + path, data=data, method=method)
    if os.environ.get("NOMAD_TOKEN"):
        request.add_header("X-Nomad-Token", os.environ["NOMAD_TOKEN"])
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        raw = error.read()
        error.close()
        return error.code, raw


def _wait(address: str, status: str) -> None:
    for _ in range(600):
        job = json.loads(_send(address, "GET", "/v1/job/app", None)[1] or b"null")
        deployment = json.loads(_send(address, "GET", "/v1/job/app/deployment", None)[1] or b"null")
        if deployment and (deployment["JobVersion"], deployment["Status"]) == (
            job["Version"],
            status,
        ):
            return
        time.sleep(0.05)
    raise AssertionError(f"the deployment of the job was never {status}")
