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

api() { # METHOD PATH [JSON]: the answer on stdout; HTTP errors on stderr
	local out
	out=$(curl -sS -w '\n%{http_code}' -X "$1" -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" \
		--data "${3:-}" "$NOMAD_ADDR$2") || return 1
	[ "${out##*$'\n'}" -lt 300 ] || { echo "deploy: $1 $2: ${out%$'\n'*}" >&2 && return 1; }
	printf '%s\n' "${out%$'\n'*}"
}

vars=""
for pair in "$@"; do
	vars+="${pair%%=*} = $(jq -n --arg v "${pair#*=}" '$v')"$'\n'
done
job=$(api POST /v1/jobs/parse "$(jq -n --rawfile hcl "$job_file" --arg vars "$vars" \
	'{JobHCL: $hcl, Variables: $vars, Canonicalize: true}')")
id=$(jq -r .ID <<<"$job")
api POST /v1/jobs "$(jq -c '{Job: .}' <<<"$job")" >/dev/null
version=$(api GET "/v1/job/$id" | jq -r .Version)
echo "deploy: $id version $version registered"

deadline=$((SECONDS + timeout))
while [ "$SECONDS" -lt "$deadline" ]; do
	dep=$(api GET "/v1/job/$id/deployment")
	if [ "$(jq -r '.JobVersion // -1' <<<"$dep")" = "$version" ]; then
		case "$(jq -r .Status <<<"$dep")" in
		successful) echo "deploy: $id version $version is live" && exit 0 ;;
		failed | cancelled) echo "deploy: $id: $(jq -r .StatusDescription <<<"$dep")" >&2 && exit 1 ;;
		esac
		# Every canary healthy and none promoted yet: switch the traffic over.
		if jq -e '[.TaskGroups[] | select(.DesiredCanaries > 0 and (.Promoted | not))]
			| length > 0 and all(.HealthyAllocs >= .DesiredCanaries)' <<<"$dep" >/dev/null; then
			api POST "/v1/deployment/promote/$(jq -r .ID <<<"$dep")" \
				"$(jq -c '{DeploymentID: .ID, All: true}' <<<"$dep")" >/dev/null
			echo "deploy: canaries of version $version healthy, promoted"
		fi
	fi
	sleep "${DEPLOY_POLL:-5}"
done
echo "deploy: $id version $version not live after ${timeout}s" >&2 && exit 1
