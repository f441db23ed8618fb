#!/usr/bin/env bash
# Go back to the previous stable version of a Nomad job (or to VERSION). The
# revert is a deployment like any other: its canaries need a promotion too.
# Usage: rollback.sh JOB_ID [VERSION]
set -euo pipefail
: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
id="${1:?usage: rollback.sh JOB_ID [VERSION]}"
fail() { echo "rollback: FAILED: $1" >&2 && exit 1; }
api() { # METHOD PATH [JSON]: Nomad's JSON answer on stdout; anything else fails
	local out
	out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" --data "${3:-}" \
		"$NOMAD_ADDR$2" 2>&1) || fail "cannot reach Nomad at $NOMAD_ADDR: is the agent running? (${out%$'\n'*})"
	[ "${out##*$'\n'}" -lt 300 ] || fail "$1 $2: HTTP ${out##*$'\n'}: ${out%$'\n'*}"
	jq -n input <<<"${out%$'\n'*}" >/dev/null 2>&1 || fail "$1 $2: Nomad's answer is not JSON"
	printf '%s\n' "${out%$'\n'*}"
}
versions=$(api GET "/v1/job/$id/versions")
current=$(jq -e '.Versions | map(.Version) | max' <<<"$versions" 2>/dev/null) || fail "no version of $id in Nomad's answer"
target="${2:-$(jq "[.Versions[] | select(.Stable and .Version < $current) | .Version] | max" <<<"$versions")}"
[[ "$target" =~ ^[0-9]+$ ]] || fail "$id has no stable version before $current"
# EnforcePriorVersion: no revert over a version deployed in the meantime.
api POST "/v1/job/$id/revert" "{\"JobID\": \"$id\", \"JobVersion\": $target, \"EnforcePriorVersion\": $current}" >/dev/null
for _ in $(seq "${ROLLBACK_POLLS:-120}"); do
	dep=$(api GET "/v1/job/$id/deployments" | jq -c "map(select(.JobVersion == $current + 1)) | first // {}")
	jq -e '.Status == "successful"' <<<"$dep" >/dev/null && echo "rollback: $id back to the spec of version $target" && exit 0
	jq -e '.Status == "failed" or .Status == "cancelled"' <<<"$dep" >/dev/null && fail "$id: $(jq -r .StatusDescription <<<"$dep")"
	jq -e '.Status == "running" and all(.TaskGroups[]; .DesiredCanaries > 0 and (.Promoted | not) and .HealthyAllocs >= .DesiredCanaries)' <<<"$dep" >/dev/null && api POST "/v1/deployment/promote/$(jq -r .ID <<<"$dep")" "$(jq -c '{DeploymentID: .ID, All: true}' <<<"$dep")" >/dev/null
	sleep "${ROLLBACK_POLL:-5}"
done
fail "$id: the revert to version $target is not live yet"
