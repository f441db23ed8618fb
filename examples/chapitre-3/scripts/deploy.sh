#!/usr/bin/env bash
# Blue-green deployment through Nomad's HTTP API: register the new version,
# wait for its canaries to be healthy, promote them. A failed deployment is
# reverted by Nomad (auto_revert) and makes this script exit 1.
# Usage: deploy.sh JOB_FILE [NAME=VALUE...]  (values of the job's variables)
set -euo pipefail

: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
timeout="${DEPLOY_TIMEOUT:-600}"
[ -r "${1:-}" ] || { echo "usage: deploy.sh JOB_FILE [NAME=VALUE...]" >&2 && exit 2; }
job_file="$1" && shift

fail() { echo "deploy: FAILED: $1" >&2 && exit 1; }
api() { # METHOD PATH [JSON]: Nomad's JSON answer on stdout; anything else fails
	local out
	out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" --data "${3:-}" \
		"$NOMAD_ADDR$2" 2>&1) || fail "cannot reach Nomad at $NOMAD_ADDR: is the agent running? (${out%$'\n'*})"
	[ "${out##*$'\n'}" -lt 300 ] || fail "$1 $2: HTTP ${out##*$'\n'}: ${out%$'\n'*}"
	jq -n input <<<"${out%$'\n'*}" >/dev/null 2>&1 || fail "$1 $2: Nomad's answer is not JSON"
	printf '%s\n' "${out%$'\n'*}"
}
vars="" # the values of the job's variables, as lines of HCL
for pair in "$@"; do vars+="${pair%%=*} = $(jq -n --arg v "${pair#*=}" '$v')"$'\n'; done
job=$(api POST /v1/jobs/parse "$(jq -n --rawfile hcl "$job_file" --arg vars "$vars" \
	'{JobHCL: $hcl, Variables: $vars}')")
id=$(jq -er .ID <<<"$job") || fail "POST /v1/jobs/parse: no job ID in Nomad's answer"
# Register, then read the version Nomad gave it (an unchanged spec keeps its own).
api POST /v1/jobs "$(jq -c '{Job: .}' <<<"$job")" >/dev/null
registered=$(api GET "/v1/job/$id")
version=$(jq -er .Version <<<"$registered") || fail "GET /v1/job/$id: no Version in Nomad's answer"
echo "deploy: $id version $version registered"

deadline=$((SECONDS + timeout))
while [ "$SECONDS" -lt "$deadline" ]; do
	# Nomad opens the deployment of a new version a moment later, and a failed one
	# may be followed at once by its revert's: follow the deployment of ours only.
	dep=$(api GET "/v1/job/$id/deployments" | jq -c --argjson v "$version" 'map(select(.JobVersion == $v)) | first // {}')
	case "$(jq -r '.Status // "not opened yet"' <<<"$dep")" in
	successful) echo "deploy: $id version $version is live" && exit 0 ;;
	failed | cancelled) fail "$id version $version: $(jq -r .StatusDescription <<<"$dep")" ;;
	esac
	# Every canary healthy and none promoted yet: switch the traffic over.
	if jq -e '[.TaskGroups[]? | select(.DesiredCanaries > 0 and (.Promoted | not))]
		| length > 0 and all(.HealthyAllocs >= .DesiredCanaries)' <<<"$dep" >/dev/null; then
		api POST "/v1/deployment/promote/$(jq -r .ID <<<"$dep")" "$(jq -c '{DeploymentID: .ID, All: true}' <<<"$dep")" >/dev/null
		echo "deploy: canaries of version $version healthy, promoted"
	fi
	sleep "${DEPLOY_POLL:-5}"
done
fail "$id version $version not live after ${timeout}s"
