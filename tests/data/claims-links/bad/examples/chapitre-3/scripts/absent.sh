#!/usr/bin/env bash
# An example no examples page shows (tests/test_claims_links.py).
set -euo pipefail
echo restore
