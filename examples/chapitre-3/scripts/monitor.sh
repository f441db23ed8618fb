#!/usr/bin/env bash
# Report the unhealthy allocations of a Nomad job, and the task groups that
# run fewer allocations than they should: exit 1 when there is any.
# Usage: monitor.sh JOB_ID
set -euo pipefail

: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
[ $# -eq 1 ] || { echo "usage: monitor.sh JOB_ID" >&2 && exit 2; }
id="$1"
fail() { echo "monitor: FAILED: $1" >&2 && exit 1; }
api() { # METHOD PATH [JSON]: Nomad's JSON answer on stdout; anything else fails
	local out
	out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" --data "${3:-}" \
		"$NOMAD_ADDR$2" 2>&1) || fail "cannot reach Nomad at $NOMAD_ADDR: is the agent running? (${out%$'\n'*})"
	[ "${out##*$'\n'}" -lt 300 ] || fail "$1 $2: HTTP ${out##*$'\n'}: ${out%$'\n'*}"
	jq -n input <<<"${out%$'\n'*}" >/dev/null 2>&1 || fail "$1 $2: Nomad's answer is not JSON"
	printf '%s\n' "${out%$'\n'*}"
}
allocs=$(api GET "/v1/job/$id/allocations")
scale=$(api GET "/v1/job/$id/scale")
jq -e 'type == "array"' <<<"$allocs" >/dev/null 2>&1 || fail "GET /v1/job/$id/allocations: not a list of allocations"
jq -e '.TaskGroups | type == "object"' <<<"$scale" >/dev/null 2>&1 || fail "GET /v1/job/$id/scale: no task groups"
# Unhealthy: meant to run, but failed or lost on its client, or marked
# unhealthy by its deployment (checks failing past the healthy deadline).
unhealthy=$(jq -r '.[] | select(.DesiredStatus == "run")
	| select(.ClientStatus == "failed" or .ClientStatus == "lost" or .DeploymentStatus.Healthy == false)
	| "monitor: UNHEALTHY \(.Name) (alloc \(.ID[:8]), version \(.JobVersion)):"
		+ " client status \(.ClientStatus), deployment health \(.DeploymentStatus.Healthy)"' \
	<<<"$allocs")
# A group running fewer allocations than wanted is down, even if none failed.
missing=$(jq -r '.TaskGroups | to_entries[] | select(.value.Running < .value.Desired)
	| "monitor: MISSING \(.key): \(.value.Running) running of \(.value.Desired) wanted"' \
	<<<"$scale")

if [ -n "$unhealthy$missing" ]; then
	printf '%s\n' "$unhealthy" "$missing" | sed '/^$/d' >&2
	exit 1
fi
running=$(jq '[.TaskGroups[].Running] | add // 0' <<<"$scale")
echo "monitor: $id healthy, $running allocation(s) running"
