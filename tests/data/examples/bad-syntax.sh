#!/usr/bin/env bash
# A script bash cannot read: a stray `fi`.
set -euo pipefail
if [ -n "${1:-}" ]; then
	echo "$1"
fi fi
