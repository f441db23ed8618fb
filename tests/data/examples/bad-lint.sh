#!/usr/bin/env bash
# A script shellcheck finds fault with: an unquoted expansion.
set -euo pipefail

name="${1:-}"
echo $name
