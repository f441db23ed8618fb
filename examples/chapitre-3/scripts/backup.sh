#!/usr/bin/env bash
# Save a snapshot of Nomad's state into DIR, keep the last BACKUP_KEEP ones.
# It never fails silently: any failure is a message and a non-zero exit.
# Usage: backup.sh DIR
set -euo pipefail

: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
[ $# -eq 1 ] || { echo "usage: backup.sh DIR" >&2 && exit 2; }
dir="$1" keep="${BACKUP_KEEP:-7}"
mkdir -p "$dir"
file="$dir/nomad-$(date -u +%Y%m%dT%H%M%SZ).snap"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

fail() { echo "backup: FAILED: $1" >&2 && exit 1; }
code=$(curl -sS -o "$partial" -w '%{http_code}' -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" \
	"$NOMAD_ADDR/v1/operator/snapshot") || fail "Nomad unreachable at $NOMAD_ADDR"
if [ "$code" != 200 ]; then
	fail "Nomad refused the snapshot (HTTP $code): $(head -c 300 "$partial")"
fi
# An empty or truncated answer is no backup: a snapshot is a gzip archive.
[ -s "$partial" ] || fail "empty snapshot"
[ "$(head -c 2 "$partial" | od -An -tx1 | tr -d ' ')" = 1f8b ] ||
	fail "the answer is not a snapshot archive"
mv "$partial" "$file"
echo "backup: $file ($(wc -c <"$file") bytes)"

# Retention: the newest snapshots stay, the older ones go.
old=$(find "$dir" -maxdepth 1 -name 'nomad-*.snap' | sort -r | tail -n +"$((keep + 1))")
if [ -n "$old" ]; then
	while IFS= read -r snap; do
		rm -f "$snap"
	done <<<"$old"
	echo "backup: removed $(wc -l <<<"$old") old snapshot(s), kept $keep"
fi
