#!/bin/sh
# A lax script: no bash shebang, no strict mode, not executable.
echo "$1"
