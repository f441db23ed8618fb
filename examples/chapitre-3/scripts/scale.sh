#!/usr/bin/env bash
# Scale a task group, refusing the scalings that cause outages.
# Usage: scale.sh JOB_ID GROUP COUNT   (limits: SCALE_MAX, SCALE_MAX_STEP)
set -euo pipefail

: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
[[ $# -eq 3 && "$3" =~ ^[0-9]+$ ]] || { echo "usage: scale.sh JOB_ID GROUP COUNT" >&2 && exit 2; }
id="$1" group="$2" count="$3" max="${SCALE_MAX:-20}" step="${SCALE_MAX_STEP:-5}"

api() { # METHOD PATH [JSON]: the answer on stdout; HTTP errors on stderr
	local out
	out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" \
		--data "${3:-}" "$NOMAD_ADDR$2") || return 1
	[ "${out##*$'\n'}" -lt 300 ] || { echo "scale: $1 $2: ${out%$'\n'*}" >&2 && return 1; }
	printf '%s\n' "${out%$'\n'*}"
}

current=$(api GET "/v1/job/$id/scale" | jq -e --arg g "$group" '.TaskGroups[$g].Desired') ||
	{ echo "scale: cannot read the count of $id/$group" >&2 && exit 1; }
refuse() { echo "scale: refused: $1 ($id/$group stays at $current)" >&2 && exit 1; }
[ "$count" -ge 1 ] || refuse "scaling to 0 stops the service"
[ "$count" -le "$max" ] || refuse "$count is above the maximum of $max"
[ $((count > current ? count - current : current - count)) -le "$step" ] || refuse "$current -> $count is a jump of more than $step"
api POST "/v1/job/$id/scale" "$(jq -n --arg g "$group" --argjson n "$count" '{Count: $n, Target: {Group: $g}, Message: "scale.sh"}')" >/dev/null
echo "scale: $id/$group scaled from $current to $count"
