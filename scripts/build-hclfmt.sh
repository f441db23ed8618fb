#!/usr/bin/env bash
# Build HashiCorp's hclfmt (the parser and formatter behind `nomad fmt`) from
# Debian's HCL sources, installing Go and those sources when they are missing.
# Usage: scripts/build-hclfmt.sh OUTPUT
set -euo pipefail

out="${1:?usage: build-hclfmt.sh OUTPUT}"
gopath=/usr/share/gocode
needed=()
command -v go >/dev/null || needed+=(golang-go)
[ -d "$gopath/src/github.com/hashicorp/hcl/v2/cmd/hclfmt" ] || needed+=(golang-github-hashicorp-hcl-v2-dev)
if [ ${#needed[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
		echo "build-hclfmt: missing ${needed[*]}; install them with: apt-get install ${needed[*]}" >&2
		exit 1
	fi
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "build-hclfmt: installing ${needed[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
mkdir -p "$(dirname "$out")"
# GOPATH mode: Debian ships the module's dependencies under the same GOPATH.
GO111MODULE=off GOPATH="$gopath" GOCACHE="$PWD/.cache/go-build" GOFLAGS="" \
	go build -o "$out.tmp" github.com/hashicorp/hcl/v2/cmd/hclfmt
mv "$out.tmp" "$out"
