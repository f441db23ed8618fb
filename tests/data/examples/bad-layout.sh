#!/usr/bin/env bash
# A script shfmt would lay out otherwise: spaces where it puts tabs.
set -euo pipefail

if [ -n "${1:-}" ]; then
  echo "$1"
fi
