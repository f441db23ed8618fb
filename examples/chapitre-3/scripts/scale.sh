#!/usr/bin/env bash
# Scale a task group, refusing the scalings that cause outages.
# Usage: scale.sh JOB_ID GROUP COUNT   (limits: SCALE_MAX, SCALE_MAX_STEP)
set -euo pipefail

: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
[[ $# -eq 3 && "$3" =~ ^[0-9]+$ ]] || { echo "usage: scale.sh JOB_ID GROUP COUNT" >&2 && exit 2; }
id="$1" group="$2" count="$3" max="${SCALE_MAX:-20}" step="${SCALE_MAX_STEP:-5}"
fail() { echo "scale: FAILED: $1" >&2 && exit 1; }
api() { # METHOD PATH [JSON]: Nomad's JSON answer on stdout; anything else fails
	local out
	out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" --data "${3:-}" \
		"$NOMAD_ADDR$2" 2>&1) || fail "cannot reach Nomad at $NOMAD_ADDR: is the agent running? (${out%$'\n'*})"
	[ "${out##*$'\n'}" -lt 300 ] || fail "$1 $2: HTTP ${out##*$'\n'}: ${out%$'\n'*}"
	jq -n input <<<"${out%$'\n'*}" >/dev/null 2>&1 || fail "$1 $2: Nomad's answer is not JSON"
	printf '%s\n' "${out%$'\n'*}"
}
scale=$(api GET "/v1/job/$id/scale")
current=$(jq -e --arg g "$group" '.TaskGroups[$g].Desired' <<<"$scale") || fail "$id has no group $group"
refuse() { echo "scale: refused: $1 ($id/$group stays at $current)" >&2 && exit 1; }
[ "$count" -ge 1 ] || refuse "scaling to 0 stops the service"
[ "$count" -le "$max" ] || refuse "$count is above the maximum of $max"
[ $((count > current ? count - current : current - count)) -le "$step" ] || refuse "$current -> $count is a jump of more than $step"
answer=$(api POST "/v1/job/$id/scale" "$(jq -n --arg g "$group" --argjson n "$count" '{Count: $n, Target: {Group: $g}, Message: "scale.sh"}')")
echo "scale: $id/$group scaled from $current to $count (evaluation $(jq -r '.EvalID[:8]' <<<"$answer"))"
