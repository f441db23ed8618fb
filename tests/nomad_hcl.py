"""Turn an HCL2 jobspec into the API's Job, as Nomad's /v1/jobs/parse does (jobspec2).

python-hcl2 reads the grammar; what it leaves as `${...}` text is evaluated
here for the expressions the book's jobs use: variables and locals, `==`/`!=`,
`? :`, lists, `contains`/`length`, string templates and `dynamic` blocks.
Anything else (`${node.datacenter}`, a runtime interpolation) stays as Nomad
leaves it: text for the client to interpolate. The canonical defaults of
`api/jobs.go` (Job.Canonicalize) and `api/tasks.go` (TaskGroup.Canonicalize)
are applied when asked, as the endpoint does with `Canonicalize: true`.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

# api/jobs.go DefaultUpdateStrategy: the update block a service job gets
# when its jobspec has none (Job.Canonicalize).
DEFAULT_UPDATE = {
    "Stagger": 30_000_000_000,
    "MaxParallel": 1,
    "HealthCheck": "checks",
    "MinHealthyTime": 10_000_000_000,
    "HealthyDeadline": 300_000_000_000,
    "ProgressDeadline": 600_000_000_000,
    "AutoRevert": False,
    "AutoPromote": False,
    "Canary": 0,
}
_UPDATE_FIELDS = {
    "max_parallel": "MaxParallel",
    "canary": "Canary",
    "health_check": "HealthCheck",
    "auto_revert": "AutoRevert",
    "auto_promote": "AutoPromote",
    "stagger": "Stagger",
    "min_healthy_time": "MinHealthyTime",
    "healthy_deadline": "HealthyDeadline",
    "progress_deadline": "ProgressDeadline",
}
_DURATIONS = {"Stagger", "MinHealthyTime", "HealthyDeadline", "ProgressDeadline"}
_DURATION = re.compile(r"^(\d+)(ns|us|ms|s|m|h)$")
_UNITS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
_TOKEN = re.compile(
    r'\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<name>[A-Za-z_][\w.\-]*)'
    r"|(?P<op>==|!=|&&|\|\||[?:\[\](),!]))"
)


class ParseError(Exception):
    """A jobspec Nomad would refuse to parse; the message is the endpoint's."""


class _Unknown(Exception):
    """An expression only the client can resolve (node attributes): keep its text."""


def duration(value: Any) -> int:
    """Convert a Go duration ("30s") to nanoseconds, as the API carries it."""
    if isinstance(value, int):
        return value
    match = _DURATION.match(str(value))
    if not match:
        raise ParseError(f'time: invalid duration "{value}"')
    return int(match.group(1)) * _UNITS[match.group(2)]


def parse_job(source: str, variables: str, canonicalize: bool) -> dict[str, Any]:
    """Return the API Job of a jobspec, with its variables set from `variables`."""
    return _Jobspec(source, variables).job(canonicalize)


def canonicalize(job: dict[str, Any]) -> dict[str, Any]:
    """Apply api.Job.Canonicalize's defaults to an API Job (register does it too)."""
    job = copy.deepcopy(job)
    job.setdefault("Namespace", "default")
    job.setdefault("Region", "global")
    job.setdefault("Type", "service")
    job.setdefault("Priority", 50)
    job.setdefault("Datacenters", ["*"])
    job.setdefault("Name", job.get("ID"))
    job.setdefault("Meta", None)
    job.setdefault("Periodic", None)
    update = job.get("Update")
    if update is not None:
        update = {**DEFAULT_UPDATE, **update}
    elif job["Type"] == "service":
        update = dict(DEFAULT_UPDATE)
    job["Update"] = update
    for group in job.get("TaskGroups") or []:
        if not isinstance(group, dict):
            continue
        group.setdefault("Count", 1)
        group.setdefault("Scaling", None)
        group.setdefault("Tasks", [])
        mine = group.get("Update")
        if update is not None and mine is not None:
            group["Update"] = {**update, **mine}
        elif update is not None and update.get("MaxParallel", 0) > 0:
            group["Update"] = dict(update)
        else:
            group["Update"] = {**DEFAULT_UPDATE, **mine} if mine else None
        if job["Type"] != "service":
            group["Update"] = None
    return job


class _Jobspec:
    def __init__(self, source: str, variables: str) -> None:
        options = SerializationOptions(with_comments=False, strip_string_quotes=True)
        try:
            self.tree = hcl2.loads(source, serialization_options=options)
            given = hcl2.loads(variables, serialization_options=options) if variables else {}
        except Exception as error:  # python-hcl2 raises lark errors of many kinds
            raise ParseError(f"Failed to parse job: input.hcl: {error}") from None
        self.scope: dict[str, Any] = {"var": {}, "local": {}}
        checks = []
        types = {}
        for block in self.tree.get("variable", []):
            for name, body in block.items():
                types[name] = body.get("type")
                self.scope["var"][name] = self.value(body.get("default"))
                checks += [(name, v) for v in body.get("validation", [])]
        for name, value in given.items():
            if name.startswith("__"):
                continue
            if name not in self.scope["var"]:
                raise ParseError(
                    f'Failed to parse job: input.hcl: Undefined variable: "{name}" is not declared'
                )
            self.scope["var"][name] = _convert(name, self.value(value), types[name])
        for block in self.tree.get("locals", []):
            for name, value in block.items():
                if not name.startswith("__"):
                    self.scope["local"][name] = self.value(value)
        for name, validation in checks:
            if self.value(validation.get("condition")) is not True:
                raise ParseError(
                    "Failed to parse job: input.hcl: Invalid value for variable: "
                    f"{validation.get('error_message')} (var.{name})"
                )

    # Expressions.
    def value(self, raw: Any) -> Any:
        """Evaluate what python-hcl2 left as `${...}` text, recursively."""
        if isinstance(raw, list):
            return [self.value(item) for item in raw]
        if isinstance(raw, dict):
            return {k: self.value(v) for k, v in raw.items() if not k.startswith("__")}
        if not isinstance(raw, str):
            return raw
        if raw.startswith("<<"):  # a heredoc: its lines, indented as `<<-` strips them
            lines = raw.split("\n")[1:-1]
            if raw.startswith("<<-"):
                margin = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
                lines = [x[margin:] for x in lines]
            return "\n".join(lines) + "\n"
        whole = re.fullmatch(r"\$\{(.*)\}", raw, re.S)
        if whole and "${" not in whole.group(1):
            try:
                return self._expression(whole.group(1))
            except _Unknown:
                return raw
        return re.sub(r"\$\{([^}]*)\}", self._interpolate, raw)

    def _interpolate(self, match: re.Match) -> str:
        try:
            value = self._expression(match.group(1))
        except _Unknown:
            return match.group(0)
        return str(value).lower() if isinstance(value, bool) else str(value)

    def _expression(self, text: str) -> Any:
        tokens = [m for m in _TOKEN.finditer(text) if m.group(0).strip()]
        if "".join(m.group(0) for m in tokens).strip() != text.strip():
            raise _Unknown(text)
        parser = _Parser(tokens, self.scope)
        value = parser.conditional()
        if parser.position != len(tokens):
            raise _Unknown(text)
        return value

    # Blocks.
    def blocks(self, body: dict[str, Any], name: str) -> list[dict[str, Any]]:
        """Return a body's blocks of one kind, `dynamic` ones expanded."""
        found = list(body.get(name) or [])
        for dynamic in body.get("dynamic") or []:
            for kind, spec in dynamic.items():
                if kind == name:
                    found += [dict(spec["content"][0]) for _ in self.value(spec["for_each"])]
        return found

    def attrs(self, body: dict[str, Any] | None) -> dict[str, Any]:
        """Return a block's attributes (not its nested blocks), evaluated."""
        if not body:
            return {}
        return {
            k: self.value(v)
            for k, v in body.items()
            if not k.startswith("__") and k != "dynamic" and not _is_blocks(v)
        }

    def first(self, body: dict[str, Any], name: str) -> dict[str, Any] | None:
        found = self.blocks(body, name)
        return found[0] if found else None

    def job(self, canonical: bool) -> dict[str, Any]:
        jobs = self.tree.get("job") or []
        if len(jobs) != 1:
            raise ParseError(
                "Failed to parse job: input.hcl: Missing job block or more than one job block"
            )
        ((job_id, body),) = jobs[0].items()
        periodic = self.attrs(self.first(body, "periodic"))
        update = self.update(self.first(body, "update"))
        job = {
            "ID": job_id,
            "Name": job_id,
            "Type": self.value(body.get("type", "service")),
            "Priority": self.value(body.get("priority", 50)),
            "Datacenters": self.value(body.get("datacenters", ["*"])),
            "Meta": {k: str(v) for k, v in self.attrs(self.first(body, "meta")).items()} or None,
            "Update": update,
            "Periodic": {
                "Enabled": True,
                "Spec": periodic.get("cron") or periodic["crons"][0],
                "SpecType": "cron",
                "ProhibitOverlap": periodic.get("prohibit_overlap", False),
            }
            if periodic
            else None,
            "TaskGroups": [
                self.group(name, group_body)
                for block in self.blocks(body, "group")
                for name, group_body in block.items()
            ],
        }
        return canonicalize(job) if canonical else job

    def update(self, body: dict[str, Any] | None) -> dict[str, Any] | None:
        if body is None:
            return None
        update = {}
        for key, value in self.attrs(body).items():
            if key in _UPDATE_FIELDS:
                field = _UPDATE_FIELDS[key]
                update[field] = duration(value) if field in _DURATIONS else value
        return update

    def group(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        count = self.value(body.get("count", 1))
        if not isinstance(count, int) or isinstance(count, bool):
            raise ParseError(f'Failed to parse job: input.hcl: group "{name}": count {count!r}')
        scaling = self.attrs(self.first(body, "scaling"))
        tasks = []
        for block in self.blocks(body, "task"):
            for task_name, task in block.items():
                vault = self.first(task, "vault")
                tasks.append(
                    {
                        "Name": task_name,
                        "Driver": self.value(task.get("driver", "")),
                        "Config": self.attrs(self.first(task, "config")),
                        "Env": self.attrs(self.first(task, "env")) or None,
                        "Templates": [
                            {
                                "DestPath": t.get("destination"),
                                "EmbeddedTmpl": t.get("data"),
                                "ChangeMode": t.get("change_mode", "restart"),
                            }
                            for t in (self.attrs(b) for b in self.blocks(task, "template"))
                        ]
                        or None,
                        "Vault": {"Role": self.attrs(vault).get("role", "")} if vault else None,
                    }
                )
        services = [self.attrs(s) for s in self.blocks(body, "service")]
        return {
            "Name": name,
            "Count": count,
            "Tasks": tasks,
            "Update": self.update(self.first(body, "update")),
            "Services": [
                {"Name": s.get("name"), "Tags": s.get("tags"), "CanaryTags": s.get("canary_tags")}
                for s in services
            ]
            or None,
            "Spreads": [
                {"Attribute": s.get("attribute"), "Weight": s.get("weight")}
                for s in (self.attrs(b) for b in self.blocks(body, "spread"))
            ]
            or None,
            "Scaling": {
                "Min": scaling.get("min", count),
                "Max": scaling["max"],
                "Enabled": scaling.get("enabled", True),
            }
            if scaling
            else None,
        }


class _Parser:
    """Recursive descent over the expression tokens: `a ? b : c`, `==`, calls, lists."""

    def __init__(self, tokens: list[re.Match], scope: dict[str, Any]) -> None:
        self.tokens = tokens
        self.scope = scope
        self.position = 0

    def peek(self) -> str | None:
        if self.position < len(self.tokens):
            return self.tokens[self.position].group(0).strip()
        return None

    def take(self) -> re.Match:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def conditional(self) -> Any:
        condition = self.equality()
        if self.peek() != "?":
            return condition
        self.take()
        yes = self.conditional()
        if self.peek() != ":":
            raise _Unknown("?")
        self.take()
        no = self.conditional()
        return yes if condition else no

    def equality(self) -> Any:
        left = self.primary()
        while self.peek() in ("==", "!="):
            op = self.take().group(0).strip()
            right = self.primary()
            left = (left == right) if op == "==" else (left != right)
        return left

    def primary(self) -> Any:
        token = self.take()
        if token.group("num"):
            number = token.group("num")
            return float(number) if "." in number else int(number)
        if token.group("str"):
            return token.group("str")[1:-1].replace('\\"', '"')
        if token.group("op") == "[":
            items = []
            while self.peek() != "]":
                items.append(self.conditional())
                if self.peek() == ",":
                    self.take()
            self.take()
            return items
        if token.group("op") == "(":
            value = self.conditional()
            self.take()
            return value
        name = token.group("name")
        if name is None:
            raise _Unknown(token.group(0))
        if name in ("true", "false"):
            return name == "true"
        if self.peek() == "(":
            self.take()
            args = []
            while self.peek() != ")":
                args.append(self.conditional())
                if self.peek() == ",":
                    self.take()
            self.take()
            if name == "contains":
                return args[1] in args[0]
            if name == "length":
                return len(args[0])
            raise _Unknown(name)
        root, _, rest = name.partition(".")
        if root not in self.scope or not rest:
            raise _Unknown(name)
        if rest not in self.scope[root]:
            raise ParseError(
                f'Failed to parse job: input.hcl: Unsupported attribute: "{rest}" in {root}'
            )
        return self.scope[root][rest]


def _convert(name: str, value: Any, kind: Any) -> Any:
    """Convert a variable's value to its declared type, as HCL's type conversion does."""
    if kind == "number" and isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            raise ParseError(
                f'Failed to parse job: input.hcl: Invalid value for input variable: "{name}"'
                " a number is required"
            ) from None
    return value


def _is_blocks(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
