#!/usr/bin/env bash
# Go back to the previous stable version of a Nomad job (or to VERSION). The
# revert is a deployment like any other: its canaries need a promotion too.
# Usage: rollback.sh JOB_ID [VERSION]
set -euo pipefail

: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
id="${1:?usage: rollback.sh JOB_ID [VERSION]}"
api() { # METHOD PATH [JSON]: the answer on stdout; HTTP errors on stderr
	local out
	out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" \
		--data "${3:-}" "$NOMAD_ADDR$2") || return 1
	[ "${out##*$'\n'}" -lt 300 ] || { echo "rollback: $1 $2: ${out%$'\n'*}" >&2 && return 1; }
	printf '%s\n' "${out%$'\n'*}"
}
versions=$(api GET "/v1/job/$id/versions")
current=$(jq '.Versions | map(.Version) | max' <<<"$versions")
# By default, the newest version before the current one that ran healthy.
target="${2:-$(jq "[.Versions[] | select(.Stable and .Version < $current) | .Version] | max" <<<"$versions")}"
[[ "$target" =~ ^[0-9]+$ ]] || { echo "rollback: $id has no stable version before $current" >&2 && exit 1; }
# EnforcePriorVersion: no revert over a version deployed in the meantime.
api POST "/v1/job/$id/revert" "{\"JobID\": \"$id\", \"JobVersion\": $target, \"EnforcePriorVersion\": $current}" >/dev/null
for _ in $(seq "${ROLLBACK_POLLS:-120}"); do
	dep=$(api GET "/v1/job/$id/deployment" | jq -c "select(.JobVersion > $current)")
	jq -e '.Status == "successful"' <<<"$dep" >/dev/null && echo "rollback: $id back to the spec of version $target" && exit 0
	jq -e '.Status == "failed"' <<<"$dep" >/dev/null && echo "rollback: $id: $(jq -r .StatusDescription <<<"$dep")" >&2 && exit 1
	jq -e '.Status == "running" and all(.TaskGroups[]; .DesiredCanaries > 0 and (.Promoted | not) and .HealthyAllocs >= .DesiredCanaries)' <<<"$dep" >/dev/null && api POST "/v1/deployment/promote/$(jq -r .ID <<<"$dep")" "$(jq -c '{DeploymentID: .ID, All: true}' <<<"$dep")" >/dev/null
	sleep "${ROLLBACK_POLL:-5}"
done
echo "rollback: $id: the revert to version $target is not live yet" >&2 && exit 1
