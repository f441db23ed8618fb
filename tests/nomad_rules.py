"""The rules `nomad job validate` enforces on a decoded job, as Nomad 1.9 has them.

Nomad first canonicalizes the job (api/jobs.go and api/tasks.go Canonicalize:
each block's defaults, the job's update and reschedule merged into each
group's), then runs `Job.Validate` (nomad/structs/structs.go) and the Validate
of each part (services.go for services and checks). Each function below names
the Nomad function it follows; the messages are Nomad's, after the job, group
or task they concern. tests/nomad_rules.md lists the rules with their fixtures.
"""

from __future__ import annotations

import math
import posixpath
import re
import zoneinfo
from typing import TYPE_CHECKING, Any

from go_time import HOUR, MINUTE, SECOND, go_duration

if TYPE_CHECKING:
    from nomad_jobspec import Block

Problems = list[tuple[int, str]]

JOB_TYPES = ("service", "batch", "system", "sysbatch")
# api/jobs.go DefaultUpdateStrategy.
UPDATE_DEFAULTS = {
    "stagger": 30 * SECOND,
    "max_parallel": 1,
    "health_check": "checks",
    "min_healthy_time": 10 * SECOND,
    "healthy_deadline": 5 * MINUTE,
    "progress_deadline": 10 * MINUTE,
    "auto_revert": False,
    "canary": 0,
    "auto_promote": False,
}
# api/tasks.go (and structs.go) DefaultServiceJobRestartPolicy, DefaultBatchJobRestartPolicy.
RESTART_DEFAULTS = {
    "service": {"delay": 15 * SECOND, "attempts": 2, "interval": 30 * MINUTE, "mode": "fail"},
    "batch": {"delay": 15 * SECOND, "attempts": 3, "interval": 24 * HOUR, "mode": "fail"},
}
# api/tasks.go NewDefaultReschedulePolicy (structs.go DefaultServiceJobReschedulePolicy...).
RESCHEDULE_DEFAULTS = {
    "service": {
        "attempts": 0,
        "interval": 0,
        "delay": 30 * SECOND,
        "delay_function": "exponential",
        "max_delay": HOUR,
        "unlimited": True,
    },
    "batch": {
        "attempts": 1,
        "interval": 24 * HOUR,
        "delay": 5 * SECOND,
        "delay_function": "constant",
        "max_delay": 0,
        "unlimited": False,
    },
    # sysbatch and unknown types: a policy that never reschedules.
    "other": {
        "attempts": 0,
        "interval": 0,
        "delay": 0,
        "delay_function": "",
        "max_delay": 0,
        "unlimited": False,
    },
}
# api/tasks.go DefaultMigrateStrategy.
MIGRATE_DEFAULTS = {
    "max_parallel": 1,
    "health_check": "checks",
    "min_healthy_time": 10 * SECOND,
    "healthy_deadline": 5 * MINUTE,
}
# services.go Service.ValidateName (RFC 1123), after ${...} is replaced by "ENV-VAR".
SERVICE_NAME = re.compile(r"^(?i:[a-z0-9]|[a-z0-9][a-z0-9\-]{0,61}[a-z0-9])$")
INTERPOLATION = re.compile(r"\$\{[^}]*\}")
# services.go ServiceCheck.validateConsul: the check types of the consul provider.
CHECK_TYPES = ("grpc", "tcp", "http", "script")
CONSTRAINT_OPERANDS = ("=", "==", "is", "!=", "not", "<", "<=", ">", ">=")


def job_rules(job: Block, crons: dict[str, str]) -> Problems:
    """Follow Job.Validate: the job's own fields, its periodic config, then each group."""
    kind = job.value("type", "service")
    problems = _job_fields(job, kind)
    problems += _constraints(job, f'job "{job.name}"', task_level=False)
    problems += _periodic(job, kind, crons)
    problems += _parameterized(job, kind)
    groups = job.children("group")
    if not groups:
        problems.append((job.line, f'job "{job.name}": Missing job task groups'))
    problems += _duplicates(groups, job, "Job task group {i} redefines '{name}' from group {j}")
    for group in groups:
        problems += _group(group, job, kind)
    return sorted(set(problems))


def _job_fields(job: Block, kind: str) -> Problems:
    """Job.Validate: id, name, type, priority, datacenters."""
    where = f'job "{job.name}"'
    problems = []
    job_id = job.value("id", job.name)
    if not job_id:
        problems.append((job.line, f"{where}: Missing job ID"))
    elif " " in job_id:
        problems.append((job.line_of("id"), f"{where}: Job ID contains a space"))
    elif "\0" in job_id:
        problems.append((job.line_of("id"), f"{where}: Job ID contains a null character"))
    name = job.value("name", job_id)
    if "\0" in name:
        problems.append((job.line_of("name"), f"{where}: Job Name contains a null character"))
    if kind not in JOB_TYPES:
        problems.append((job.line_of("type"), f'{where}: Invalid job type: "{kind}"'))
    priority = job.value("priority", 50)
    if not 1 <= priority <= 100:
        problems.append(
            (job.line_of("priority"), f"{where}: Job priority must be between [1, 100]")
        )
    if "" in job.value("datacenters", ["*"]):
        problems.append(
            (job.line_of("datacenters"), f"{where}: Job datacenter must be non-empty string")
        )
    return problems


def _periodic(job: Block, kind: str, crons: dict[str, str]) -> Problems:
    """Job.Validate and PeriodicConfig.Validate: batch or sysbatch, cron specs cronexpr parses."""
    periodic = job.child("periodic")
    if periodic is None or not periodic.value("enabled", True):
        return []
    where = f'job "{job.name}"'
    problems = []
    if kind not in ("batch", "sysbatch"):
        problems.append(
            (
                periodic.line,
                f'{where}: Periodic can only be used with "batch" or "sysbatch" scheduler',
            )
        )
    specs = [("cron", periodic.value("cron"))] if periodic.value("cron") else []
    specs += [("crons", spec) for spec in periodic.value("crons", [])]
    if not specs:
        problems.append((periodic.line, f"{where}: Must specify a spec"))
    for name, spec in specs:
        if crons.get(spec):
            problems.append(
                (periodic.line_of(name), f'{where}: Invalid cron spec "{spec}": {crons[spec]}')
            )
    zone = periodic.value("time_zone", "")
    if zone:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append(
                (
                    periodic.line_of("time_zone"),
                    f'{where}: Invalid time zone "{zone}": unknown time zone {zone}',
                )
            )
    return problems


def _parameterized(job: Block, kind: str) -> Problems:
    """Job.Validate and ParameterizedJobConfig.Validate."""
    block = job.child("parameterized")
    if block is None:
        return []
    where = f'job "{job.name}"'
    problems = []
    if kind not in ("batch", "sysbatch"):
        problems.append(
            (
                block.line,
                f'{where}: Parameterized job can only be used with "batch" or "sysbatch" scheduler',
            )
        )
    payload = block.value("payload", "optional")
    if payload not in ("optional", "required", "forbidden"):
        problems.append(
            (block.line_of("payload"), f'{where}: Unknown payload requirement: "{payload}"')
        )
    both = sorted(set(block.value("meta_required", [])) & set(block.value("meta_optional", [])))
    if both:
        problems.append(
            (
                block.line,
                f"{where}: Required and optional meta keys should be disjoint. Following keys "
                f"exist in both: [{' '.join(both)}]",
            )
        )
    return problems


def _duplicates(blocks: list[Block], parent: Block, message: str) -> Problems:
    """Job.Validate, TaskGroup.Validate: unique names (numbered from 1, as Nomad does)."""
    seen: dict[str, int] = {}
    problems = []
    for index, block in enumerate(blocks, start=1):
        if block.name in seen:
            text = message.format(i=index, name=block.name, j=seen[block.name])
            problems.append((block.line, f'{parent.type} "{parent.name}": {text}'))
        seen.setdefault(block.name, index)
    return problems


def _constraints(owner: Block, where: str, task_level: bool) -> Problems:
    """Constraint.Validate, on the operand jobspec2's decodeConstraint derives."""
    problems = []
    for index, constraint in enumerate(owner.children("constraint"), start=1):
        left = constraint.value("attribute", "")
        right = constraint.value("value", "")
        operand = constraint.value("operator", "")
        for special in ("version", "semver", "regexp", "set_contains"):
            if constraint.value(special):
                operand, right = special, constraint.value(special)
        if constraint.value("distinct_hosts"):
            operand = "distinct_hosts"
        if constraint.value("distinct_property"):
            operand, left = "distinct_property", constraint.value("distinct_property")
        operand = operand or "="
        here = f"{where}: Constraint {index} validation failed"
        line = constraint.line
        if operand in CONSTRAINT_OPERANDS and not right:
            problems.append((line, f'{here}: Operator "{operand}" requires an RTarget'))
        elif operand in ("set_contains", "set_contains_all", "set_contains_any") and not right:
            problems.append((line, f"{here}: Set contains constraint requires an RTarget"))
        elif operand in ("is_set", "is_not_set") and right:
            problems.append((line, f'{here}: Operator "{operand}" does not support an RTarget'))
        elif operand == "distinct_property" and right:
            if not right.isdigit():
                problems.append(
                    (
                        line,
                        f'{here}: Failed to convert RTarget "{right}" to uint64: '
                        f'strconv.ParseUint: parsing "{right}": invalid syntax',
                    )
                )
            elif int(right) < 1:
                problems.append(
                    (
                        line,
                        f"{here}: Distinct Property must have an allowed count of 1 or greater: "
                        "0 < 1",
                    )
                )
        elif operand not in (
            *CONSTRAINT_OPERANDS,
            "distinct_hosts",
            "distinct_property",
            "regexp",
            "version",
            "semver",
            "set_contains",
            "set_contains_all",
            "set_contains_any",
            "is_set",
            "is_not_set",
        ):
            problems.append((line, f'{here}: Unknown constraint type "{operand}"'))
        if operand != "distinct_hosts" and not left:
            problems.append((line, f"{here}: No LTarget provided but is required by constraint"))
        if task_level and operand in ("distinct_hosts", "distinct_property"):
            problems.append(
                (
                    line,
                    f"{where}: Constraint {index} has disallowed Operand at task level: {operand}",
                )
            )
    return problems


def _group(group: Block, job: Block, kind: str) -> Problems:
    """TaskGroup.Validate: count, tasks, policies, volumes, networks, services, then each task."""
    where = f'group "{group.name}"'
    problems = []
    count = _count(group)
    if count < 0:
        problems.append((group.line_of("count"), f"{where}: Task group count can't be negative"))
    if kind == "system" and count > 1:
        problems.append(
            (
                group.line_of("count"),
                f"{where}: Job task group {group.name} has count {count}. "
                "Count cannot exceed 1 with system scheduler",
            )
        )
    tasks = group.children("task")
    if not tasks:
        problems.append((group.line, f"{where}: Missing tasks for task group"))
    problems += _constraints(group, where, task_level=False)
    problems += _duplicates(tasks, group, "Task {i} redefines '{name}' from task {j}")
    if sum(1 for task in tasks if task.value("leader", False)) > 1:
        problems.append((group.line, f"{where}: Only one task may be marked as leader"))
    problems += _restart(group, kind)
    problems += _reschedule(group, job, kind)
    problems += _update(group, job, kind)
    problems += _migrate(group, job, kind)
    problems += _scaling(group)
    volumes = {}
    for volume in group.children("volume"):
        volumes[volume.name] = volume
        problems += _volume(volume, where)
    problems += _networks(group, tasks, where)
    ports = _port_labels(group)
    for index, service in enumerate(group.children("service")):
        problems += _service(service, ports, f"{where}: Service[{index}]", job, group, None)
    for task in tasks:
        problems += _task(task, group, volumes, ports, job, kind)
    return problems


def _ports(network: Block) -> list[Block]:
    """Return a network's ports: reserved_ports and port blocks (api/resources.go)."""
    return network.children("reserved_ports") + network.children("port")


def _count(group: Block) -> int:
    """Return the group's count; api TaskGroup.Canonicalize defaults it to scaling's min, or 1."""
    scaling = group.child("scaling")
    return group.value("count", scaling.value("min", 1) if scaling else 1)


def _port_labels(owner: Block) -> set[str]:
    return {port.name for network in owner.children("network") for port in _ports(network)}


def _restart(group: Block, kind: str) -> Problems:
    """RestartPolicy.Validate, on the group's policy over the job type's defaults."""
    restart = group.child("restart")
    if restart is None:
        return []
    defaults = RESTART_DEFAULTS["batch" if kind in ("batch", "sysbatch") else "service"]
    policy = {name: restart.value(name, default) for name, default in defaults.items()}
    where = f'group "{group.name}": restart'
    problems = []
    mode = policy["mode"]
    if mode not in ("delay", "fail"):
        problems.append((restart.line_of("mode"), f'{where}: Unsupported restart mode: "{mode}"'))
    if policy["attempts"] == 0 and mode != "fail":
        problems.append(
            (
                restart.line_of("attempts"),
                f'{where}: Restart policy "{mode}" with 0 attempts is ambiguous',
            )
        )
    if policy["interval"] < 5 * SECOND:
        problems.append(
            (
                restart.line_of("interval"),
                f"{where}: Interval can not be less than 5s "
                f"(got {go_duration(policy['interval'])})",
            )
        )
    if policy["attempts"] * policy["delay"] > policy["interval"]:
        problems.append(
            (
                restart.line,
                f"{where}: Nomad can't restart the TaskGroup {policy['attempts']} times in an "
                f"interval of {go_duration(policy['interval'])} with a delay of "
                f"{go_duration(policy['delay'])}",
            )
        )
    return problems


def _reschedule(group: Block, job: Block, kind: str) -> Problems:
    """TaskGroup.Validate, ReschedulePolicy.Validate: the group's over the job's over defaults."""
    sources = [b for b in (job.child("reschedule"), group.child("reschedule")) if b]
    if not sources:
        return []
    block = sources[-1]
    where = f'group "{group.name}": reschedule'
    if kind == "system":
        return [(block.line, f"{where}: System jobs should not have a reschedule policy")]
    policy = dict(RESCHEDULE_DEFAULTS[kind if kind in ("service", "batch") else "other"])
    lines: dict[str, int] = {}
    for source in sources:
        for name in policy:
            if source.value(name) is not None:
                policy[name], lines[name] = source.value(name), source.line_of(name)

    def line(name: str) -> int:
        return lines.get(name, block.line)

    attempts, interval, unlimited = policy["attempts"], policy["interval"], policy["unlimited"]
    delay, function, ceiling = policy["delay"], policy["delay_function"], policy["max_delay"]
    if not (attempts > 0 or unlimited):
        return []  # ReschedulePolicy.Enabled: a policy that never reschedules is not checked
    problems = []
    if attempts > 0:
        if interval <= 0:
            problems.append(
                (line("interval"), f"{where}: Interval must be a non zero value if Attempts > 0")
            )
        if unlimited:
            problems.append(
                (
                    line("unlimited"),
                    f"{where}: Reschedule Policy with Attempts = {attempts}, Interval = "
                    f"{go_duration(interval)}, and Unlimited = true is ambiguous",
                )
            )
            problems.append(
                (
                    line("unlimited"),
                    f"{where}: If Attempts >0, Unlimited cannot also be set to true",
                )
            )
    checked = True
    if delay < 5 * SECOND:
        problems.append(
            (line("delay"), f"{where}: Delay cannot be less than 5s (got {go_duration(delay)})")
        )
        checked = False
    if function not in ("constant", "exponential", "fibonacci"):
        problems.append(
            (
                line("delay_function"),
                f'{where}: Invalid delay function "{function}", must be one of '
                '["constant" "exponential" "fibonacci"]',
            )
        )
        checked = False
    if function != "constant":
        if ceiling < 5 * SECOND:
            # Nomad prints the delay here, not the ceiling.
            problems.append(
                (
                    line("max_delay"),
                    f"{where}: Max Delay cannot be less than 5s (got {go_duration(delay)})",
                )
            )
            checked = False
        if ceiling < delay:
            problems.append(
                (
                    line("max_delay"),
                    f"{where}: Max Delay cannot be less than Delay {go_duration(delay)} "
                    f"(got {go_duration(ceiling)})",
                )
            )
            checked = False
    if not unlimited:
        if interval < 15 * SECOND:
            problems.append(
                (
                    line("interval"),
                    f"{where}: Interval cannot be less than 15s (got {go_duration(interval)})",
                )
            )
        if checked:
            problems += _viable_attempts(policy, where, line("interval"))
    return problems


def _viable_attempts(policy: dict[str, Any], where: str, line: int) -> Problems:
    """ReschedulePolicy.validateDelayParams: the attempts fit in the interval."""
    attempts, interval = policy["attempts"], policy["interval"]
    delay, function, ceiling = policy["delay"], policy["delay_function"], policy["max_delay"]
    possible, recommended, valid = 0, 0, True
    if function == "constant":
        recommended = attempts * delay
        if interval < recommended:
            possible, valid = interval // delay, False
    elif function == "exponential":
        for i in range(attempts):
            following = int(math.pow(2, i)) * delay
            if following > ceiling:
                recommended += ceiling
            else:
                recommended = following
            if recommended < interval:
                possible += 1
        valid = possible >= attempts
    else:
        slots = [delay, delay]
        reached = False
        for i in range(2, attempts):
            if reached:
                following = slots[i - 1] + ceiling
            else:
                following = slots[i - 1] + slots[i - 2]
                if following > ceiling:
                    following, reached = ceiling, True
            slots.append(following)
        recommended = slots[-1]
        if interval < recommended:
            valid = False
            possible = next((i for i, slot in enumerate(slots) if slot > interval), 0)
    if valid:
        return []
    if function == "constant":
        text = (
            f"Nomad can only make {possible} attempts in {go_duration(interval)} with initial "
            f'delay {go_duration(delay)} and delay function "{function}"'
        )
    else:
        text = (
            f"Nomad can only make {possible} attempts in {go_duration(interval)} with initial "
            f'delay {go_duration(delay)}, delay function "{function}", and delay ceiling '
            f"{go_duration(ceiling)}"
        )
    rounded = round(recommended / SECOND) * SECOND
    return [
        (line, f"{where}: {text}"),
        (
            line,
            f"{where}: Set the interval to at least {go_duration(rounded)} to accommodate "
            f"{attempts} attempts",
        ),
    ]


def _update(group: Block, job: Block, kind: str) -> Problems:
    """TaskGroup.Validate and UpdateStrategy.Validate: the group's update over the job's."""
    job_update, own = job.child("update"), group.child("update")
    # api TaskGroup.Canonicalize: a group inherits the job's update unless it is empty.
    inherited = (
        job_update if job_update and any(job_update.value(n) for n in UPDATE_DEFAULTS) else None
    )
    if own is None and inherited is None:
        return []
    block = own or inherited
    assert block is not None
    where = f'group "{group.name}": update' + ("" if own else " (the job's)")
    problems = []
    if kind not in ("service", "system"):
        problems.append((block.line, f'{where}: Job type "{kind}" does not allow update block'))
    merged = dict(UPDATE_DEFAULTS)
    lines: dict[str, int] = {}
    for source in (job_update, own):
        for name in merged:
            if source is not None and source.value(name) is not None:
                merged[name], lines[name] = source.value(name), source.line_of(name)

    def line(name: str) -> int:
        return lines.get(name, block.line)

    if merged["health_check"] not in ("checks", "task_states", "manual"):
        problems.append(
            (
                line("health_check"),
                f'{where}: Invalid health check given: "{merged["health_check"]}"',
            )
        )
    if merged["max_parallel"] < 0:
        problems.append(
            (
                line("max_parallel"),
                f"{where}: Max parallel can not be less than zero: {merged['max_parallel']} < 0",
            )
        )
    if merged["canary"] < 0:
        problems.append(
            (
                line("canary"),
                f"{where}: Canary count can not be less than zero: {merged['canary']} < 0",
            )
        )
    if merged["canary"] == 0 and merged["auto_promote"]:
        problems.append(
            (
                line("auto_promote"),
                f"{where}: Auto Promote requires a Canary count greater than zero",
            )
        )
    minimum, healthy = merged["min_healthy_time"], merged["healthy_deadline"]
    progress, stagger = merged["progress_deadline"], merged["stagger"]
    if minimum < 0:
        problems.append(
            (
                line("min_healthy_time"),
                f"{where}: Minimum healthy time may not be less than zero: {go_duration(minimum)}",
            )
        )
    if healthy <= 0:
        problems.append(
            (
                line("healthy_deadline"),
                f"{where}: Healthy deadline must be greater than zero: {go_duration(healthy)}",
            )
        )
    if progress < 0:
        problems.append(
            (
                line("progress_deadline"),
                f"{where}: Progress deadline must be zero or greater: {go_duration(progress)}",
            )
        )
    if minimum >= healthy:
        problems.append(
            (
                line("min_healthy_time"),
                f"{where}: Minimum healthy time must be less than healthy deadline: "
                f"{go_duration(minimum)} > {go_duration(healthy)}",
            )
        )
    if progress != 0 and healthy >= progress:
        problems.append(
            (
                line("healthy_deadline"),
                f"{where}: Healthy deadline must be less than progress deadline: "
                f"{go_duration(healthy)} > {go_duration(progress)}",
            )
        )
    if stagger <= 0:
        problems.append(
            (line("stagger"), f"{where}: Stagger must be greater than zero: {go_duration(stagger)}")
        )
    return problems


def _migrate(group: Block, job: Block, kind: str) -> Problems:
    """TaskGroup.Validate and MigrateStrategy.Validate: service jobs only."""
    sources = [b for b in (job.child("migrate"), group.child("migrate")) if b]
    if not sources:
        return []
    block = sources[-1]
    where = f'group "{group.name}": migrate'
    if kind != "service":
        return [(block.line, f'{where}: Job type "{kind}" does not allow migrate block')]
    policy = dict(MIGRATE_DEFAULTS)
    for source in sources:
        policy.update({n: source.value(n) for n in policy if source.value(n) is not None})
    problems = []
    if policy["max_parallel"] < 0:
        problems.append(
            (block.line, f"{where}: MaxParallel must be >= 0 but found {policy['max_parallel']}")
        )
    if policy["health_check"] not in ("checks", "task_states"):
        problems.append((block.line, f'{where}: Invalid HealthCheck: "{policy["health_check"]}"'))
    if policy["min_healthy_time"] > policy["healthy_deadline"]:
        problems.append((block.line, f"{where}: MinHealthyTime must be less than HealthyDeadline"))
    return problems


def _scaling(group: Block) -> Problems:
    """TaskGroup.validateScalingPolicy: the group's count within the policy's min and max."""
    scaling = group.child("scaling")
    if scaling is None:
        return []
    where = f'group "{group.name}"'
    count = _count(group)
    minimum, maximum = scaling.value("min", count), scaling.value("max", 0)
    problems = []
    if maximum < 0:
        problems.append(
            (
                scaling.line,
                f"{where}: Scaling policy invalid: maximum count must be specified and "
                "non-negative",
            )
        )
    elif maximum < minimum:
        problems.append(
            (
                scaling.line,
                f"{where}: Scaling policy invalid: maximum count must not be less than "
                "minimum count",
            )
        )
    if minimum < 0:
        problems.append(
            (
                scaling.line,
                f"{where}: Scaling policy invalid: minimum count must be specified and "
                "non-negative",
            )
        )
    if maximum < count:
        problems.append(
            (
                scaling.line,
                f"{where}: Scaling policy invalid: task group count must not be greater than "
                "maximum count in scaling policy",
            )
        )
    if count < minimum:
        problems.append(
            (
                scaling.line,
                f"{where}: Scaling policy invalid: task group count must not be less than "
                "minimum count in scaling policy",
            )
        )
    return problems


def _volume(volume: Block, where: str) -> Problems:
    """TaskGroup.Validate: a host or csi volume, with a source."""
    kind = volume.value("type", "")
    if kind not in ("host", "csi"):
        return [
            (volume.line_of("type"), f"{where}: Volume {volume.name} has unrecognised type {kind}")
        ]
    if not volume.value("source", ""):
        return [(volume.line, f"{where}: Volume {volume.name} has an empty source")]
    return []


def _networks(group: Block, tasks: list[Block], where: str) -> Problems:
    """TaskGroup.validateNetworks: unique port labels and static ports, within 0-65535."""
    problems = []
    labels: dict[str, str] = {}
    static_ports: dict[int, str] = {}
    owners = [(group, "taskgroup network")] + [
        (resources, task.name) for task in tasks for resources in task.children("resources")
    ]
    for owner, name in owners:
        for network in owner.children("network"):
            for port in _ports(network):
                here = f"{where}: Task group network validation failed"
                if port.name in labels:
                    problems.append(
                        (
                            port.line,
                            f"{here}: Port label {port.name} already in use by {labels[port.name]}",
                        )
                    )
                elif owner is group:
                    labels[port.name] = name
                static = port.value("static", 0)
                if static:
                    if static in static_ports:
                        problems.append(
                            (
                                port.line_of("static"),
                                f"{here}: Static port {static} already reserved by "
                                f"{static_ports[static]}",
                            )
                        )
                    elif static > 65535:
                        problems.append(
                            (
                                port.line_of("static"),
                                f"{here}: Port {port.name} ({static}) cannot be greater than 65535",
                            )
                        )
                    else:
                        static_ports[static] = f"{name}:{port.name}"
                to = port.value("to", 0)
                if to < -1:
                    problems.append(
                        (
                            port.line_of("to"),
                            f'{here}: Port "{port.name}" cannot be mapped to negative value {to}',
                        )
                    )
                elif to > 65535:
                    problems.append(
                        (
                            port.line_of("to"),
                            f'{here}: Port "{port.name}" cannot be mapped to a port ({to}) greater '
                            "than 65535",
                        )
                    )
    return problems


def _service(
    service: Block, ports: set[str], where: str, job: Block, group: Block, task: Block | None
) -> Problems:
    """Service.Validate (services.go) and the port rules of validateServices (structs.go)."""
    # api/services.go Service.Canonicalize: job-group(-task) when the name is not set.
    default = f"{job.name}-{group.name}" + (f"-{task.name}" if task else "")
    name = service.value("name", default)
    here = f'{where} "{name}"'
    problems = []
    if not SERVICE_NAME.match(INTERPOLATION.sub("ENV-VAR", name)):
        problems.append(
            (
                service.line_of("name"),
                f"{here}: Service name must be valid per RFC 1123 and can contain only "
                "alphanumeric characters or dashes and must be no longer than 63 characters: "
                f'"{name}"',
            )
        )
    provider = service.value("provider", "consul")
    if provider not in ("consul", "nomad"):
        problems.append(
            (
                service.line_of("provider"),
                f'{here}: Service provider must be "consul", or "nomad"; not "{provider}"',
            )
        )
    port = service.value("port", "")
    driver = service.value("address_mode", "") == "driver"
    wanted = set()
    if port and not (driver and port.isdigit()):
        wanted.add((port, service.line_of("port")))
    for check in service.children("check"):
        problems += _check(check, service, name, provider, here)
        check_port = check.value("port", "") or port
        if (
            check.value("type", "") in ("http", "tcp", "grpc")
            and check_port
            and not check_port.isdigit()
        ):
            wanted.add(
                (
                    check_port,
                    check.line_of("port") if check.value("port") else service.line_of("port"),
                )
            )
    for label, line in sorted(wanted):
        if label not in ports:
            problems.append(
                (line, f'{here}: port label "{label}" referenced by services {name} does not exist')
            )
    return problems


def _check(check: Block, service: Block, service_name: str, provider: str, where: str) -> Problems:
    """Service.validateConsulService, ServiceCheck.validateCommon, validateConsul (services.go)."""
    name = check.value("name", f'service: "{service_name}" check')
    here = f"{where}: Check {name} invalid"
    kind = str(check.value("type", "")).lower()
    allowed = CHECK_TYPES if provider == "consul" else ("tcp", "http")
    if not service.value("port") and not check.value("port") and kind in ("http", "tcp", "grpc"):
        return [
            (
                check.line,
                f"{here}: check requires a port but neither check nor service "
                f'"{service_name}" have a port',
            )
        ]
    if kind not in allowed:
        return [
            (
                check.line_of("type"),
                f'{here}: invalid check type ("{kind}"), must be one of {", ".join(allowed)}',
            )
        ]
    if kind == "http":
        path = check.value("path", "")
        if not path:
            return [(check.line, f"{here}: http type must have http path")]
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", path):
            return [(check.line_of("path"), f"{here}: http type must have relative http path")]
    if kind == "script" and not check.value("command", ""):
        return [(check.line, f"{here}: script type must have a valid script path")]
    interval = check.value("interval", 0)
    if interval == 0:
        return [
            (
                check.line,
                f"{here}: missing required value interval. Interval cannot be less than 1s",
            )
        ]
    if interval < SECOND:
        return [
            (
                check.line_of("interval"),
                f"{here}: interval ({go_duration(interval)}) cannot be lower than 1s",
            )
        ]
    timeout = check.value("timeout", 0)
    if timeout == 0:
        return [
            (check.line, f"{here}: missing required value timeout. Timeout cannot be less than 1s")
        ]
    if timeout < SECOND:
        return [
            (
                check.line_of("timeout"),
                f"{here}: timeout ({go_duration(timeout)}) is lower than required minimum "
                "timeout 1s",
            )
        ]
    status = check.value("initial_status", "")
    if status not in ("", "passing", "warning", "critical"):
        return [
            (
                check.line_of("initial_status"),
                f'{here}: invalid initial check state ({status}), must be one of "passing", '
                '"warning", "critical" or empty',
            )
        ]
    return []


def _task(
    task: Block, group: Block, volumes: dict[str, Block], ports: set[str], job: Block, kind: str
) -> Problems:
    """Task.Validate: name, driver, resources, logs, lifecycle, templates, mounts, services."""
    where = f'task "{task.name}"'
    problems = []
    if "/" in task.name or "\\" in task.name:
        problems.append((task.line, f"{where}: Task name cannot include slashes"))
    if not task.value("driver", ""):
        problems.append((task.line, f"{where}: Missing task driver"))
    if task.value("kill_timeout", 0) < 0:
        problems.append(
            (task.line_of("kill_timeout"), f"{where}: KillTimeout must be a positive value")
        )
    if task.value("shutdown_delay", 0) < 0:
        problems.append(
            (task.line_of("shutdown_delay"), f"{where}: ShutdownDelay must be a positive value")
        )
    problems += _resources(task, group, where)
    problems += _constraints(task, where, task_level=True)
    lifecycle = task.child("lifecycle")
    if lifecycle:
        hook = lifecycle.value("hook", "")
        if hook == "":
            problems.append(
                (
                    lifecycle.line,
                    f"{where}: Lifecycle validation failed: no lifecycle hook provided",
                )
            )
        elif hook not in ("prestart", "poststart", "poststop"):
            problems.append(
                (
                    lifecycle.line_of("hook"),
                    f"{where}: Lifecycle validation failed: invalid hook: {hook}",
                )
            )
    problems += _templates(task, where)
    for index, mount in enumerate(task.children("volume_mount")):
        volume = mount.value("volume", "")
        if not volume:
            problems.append(
                (
                    mount.line,
                    f"{where}: Task {task.name} has a volume mount ({index}) referencing an "
                    "empty volume",
                )
            )
        elif volume not in volumes:
            problems.append(
                (
                    mount.line_of("volume"),
                    f"{where}: Task {task.name} has a volume mount ({index}) referencing "
                    f"undefined volume {volume}",
                )
            )
    task_ports = ports | {
        label for resources in task.children("resources") for label in _port_labels(resources)
    }
    for index, service in enumerate(task.children("service")):
        problems += _service(service, task_ports, f"{where}: service[{index}]", job, group, task)
    return problems


def _resources(task: Block, group: Block, where: str) -> Problems:
    """Resources.Validate and Task.Validate's log storage against the ephemeral disk."""
    problems = []
    resources = task.child("resources")
    if resources:
        cpu, memory = resources.value("cpu", 100), resources.value("memory", 300)
        if cpu < 1 and not resources.value("cores", 0):
            problems.append(
                (resources.line_of("cpu"), f"{where}: minimum CPU value is 1; got {cpu}")
            )
        if memory < 10:
            problems.append(
                (
                    resources.line_of("memory"),
                    f"{where}: minimum MemoryMB value is 10; got {memory}",
                )
            )
    logs = task.child("logs")
    files, size = (
        (logs.value("max_files", 10), logs.value("max_file_size", 10)) if logs else (10, 10)
    )
    if logs and files < 1:
        problems.append(
            (logs.line_of("max_files"), f"{where}: minimum number of files is 1; got {files}")
        )
    if logs and size < 1:
        problems.append(
            (logs.line_of("max_file_size"), f"{where}: minimum file size is 1MB; got {size}")
        )
    disk = group.child("ephemeral_disk")
    disk_size = disk.value("size", 300) if disk else 300
    if disk_size <= files * size:
        problems.append(
            (
                (logs or task).line,
                f"{where}: log storage ({files * size} MB) must be less than requested disk "
                f"capacity ({disk_size} MB)",
            )
        )
    return problems


def _templates(task: Block, where: str) -> Problems:
    """Template.Validate, and Task.Validate's rule of one template per destination."""
    problems = []
    destinations: dict[str, int] = {}
    for index, template in enumerate(task.children("template"), start=1):
        here = f"{where}: Template {index} validation failed"
        if not template.value("source", "") and not template.value("data", ""):
            problems.append(
                (template.line, f"{here}: Must specify a source path or have an embedded template")
            )
        destination = template.value("destination", "")
        if not destination:
            problems.append((template.line, f"{here}: Must specify a destination for the template"))
        elif _escapes_alloc_dir(destination):
            problems.append(
                (
                    template.line_of("destination"),
                    f"{here}: destination escapes allocation directory",
                )
            )
        if destination in destinations:
            problems.append(
                (
                    template.line_of("destination"),
                    f"{where}: Template {index} has same destination as "
                    f"{destinations[destination]}",
                )
            )
        else:
            destinations[destination] = index
        mode = template.value("change_mode", "restart")
        if mode == "signal":
            if not template.value("change_signal", ""):
                problems.append(
                    (
                        template.line_of("change_mode"),
                        f"{here}: Must specify signal value when change mode is signal",
                    )
                )
            if template.value("env", False):
                problems.append(
                    (template.line_of("env"), f"{here}: cannot use signals with env var templates")
                )
        elif mode == "script":
            if template.child("change_script") is None:
                problems.append(
                    (
                        template.line_of("change_mode"),
                        f"{here}: must specify change script configuration value when change "
                        "mode is script",
                    )
                )
        elif mode not in ("restart", "noop"):
            problems.append(
                (
                    template.line_of("change_mode"),
                    f"{here}: Invalid change mode. Must be one of the following: noop, "
                    "signal, script, restart",
                )
            )
        if template.value("splay", 0) < 0:
            problems.append(
                (template.line_of("splay"), f"{here}: Must specify positive splay value")
            )
        perms = template.value("perms", "")
        if perms and not re.fullmatch(r"[0-7]{1,4}", perms):
            problems.append(
                (
                    template.line_of("perms"),
                    f'{here}: Failed to parse "{perms}" as octal: strconv.ParseUint: parsing '
                    f'"{perms}": invalid syntax',
                )
            )
    return problems


def _escapes_alloc_dir(path: str) -> bool:
    """PathEscapesAllocDir("task", path): the path leaves the allocation directory."""
    alloc = "/alloc-dir/alloc-id"
    resolved = posixpath.normpath(posixpath.join(alloc, "task", path))
    return posixpath.relpath(resolved, alloc).startswith("..")
