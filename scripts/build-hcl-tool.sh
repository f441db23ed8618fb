#!/usr/bin/env bash
# Build a Go program on HashiCorp's HCL from Debian's sources: hclfmt (the
# parser and formatter behind `nomad fmt`), or tools/hcljob (the jobspec reader
# of the offline job checks), installing Go and those sources when missing.
# Usage: scripts/build-hcl-tool.sh OUTPUT PACKAGE
#   e.g. scripts/build-hcl-tool.sh .cache/bin/hclfmt github.com/hashicorp/hcl/v2/cmd/hclfmt
#        scripts/build-hcl-tool.sh .cache/bin/hcljob ./tools/hcljob
set -euo pipefail

out="${1:?usage: build-hcl-tool.sh OUTPUT PACKAGE}"
package="${2:?usage: build-hcl-tool.sh OUTPUT PACKAGE}"
gopath=/usr/share/gocode
needed=()
command -v go >/dev/null || needed+=(golang-go)
[ -d "$gopath/src/github.com/hashicorp/hcl/v2/cmd/hclfmt" ] || needed+=(golang-github-hashicorp-hcl-v2-dev)
# The cron parser Nomad validates periodic jobs with (gorhill/cronexpr, forked by HashiCorp).
[ -d "$gopath/src/github.com/gorhill/cronexpr" ] || needed+=(golang-github-gorhill-cronexpr-dev)
if [ ${#needed[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
		echo "build-hcl-tool: missing ${needed[*]}; install them with: apt-get install ${needed[*]}" >&2
		exit 1
	fi
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "build-hcl-tool: installing ${needed[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
mkdir -p "$(dirname "$out")"
# GOPATH mode: Debian ships the module's dependencies under the same GOPATH.
GO111MODULE=off GOPATH="$gopath" GOCACHE="$PWD/.cache/go-build" GOFLAGS="" \
	go build -o "$out.tmp" "$package"
mv "$out.tmp" "$out"
