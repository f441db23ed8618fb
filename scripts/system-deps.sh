#!/usr/bin/env bash
# Install the Debian tools the tests need when they are missing: curl and jq
# (the example scripts' only tools besides bash), chromium (browser tests) and
# npm (axe-core for the browser tests, Lighthouse for make audit).
set -euo pipefail

needed=()
command -v curl >/dev/null || needed+=(curl)
command -v jq >/dev/null || needed+=(jq)
command -v chromium >/dev/null || needed+=(chromium)
command -v npm >/dev/null || needed+=(npm)
[ ${#needed[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
	echo "system-deps: missing ${needed[*]}; install them with: apt-get install ${needed[*]}" >&2
	exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "system-deps: installing ${needed[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
