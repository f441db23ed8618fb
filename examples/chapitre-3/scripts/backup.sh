#!/usr/bin/env bash
# Save a snapshot of Nomad's state into DIR, keep the last BACKUP_KEEP ones.
# It never fails silently: any failure is a message and a non-zero exit.
# Usage: backup.sh DIR
set -euo pipefail

: "${NOMAD_ADDR:?must point at the Nomad HTTP API}"
[ $# -eq 1 ] || { echo "usage: backup.sh DIR" >&2 && exit 2; }
dir="$1" keep="${BACKUP_KEEP:-7}"
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "backup: BACKUP_KEEP must be 1 or more, not '$keep'" >&2 && exit 2; }
mkdir -p "$dir"
file="$dir/nomad-$(date -u +%Y%m%dT%H%M%SZ).snap"
partial="$file.partial" work=$(mktemp -d)
trap 'rm -rf "$partial" "$work"' EXIT

fail() { echo "backup: FAILED: $1" >&2 && exit 1; }
code=$(curl -sS -o "$partial" -D "$work/headers" -w '%{http_code}' -H "X-Nomad-Token: ${NOMAD_TOKEN:-}" \
	"$NOMAD_ADDR/v1/operator/snapshot" 2>"$work/curl") || fail "cannot reach Nomad at $NOMAD_ADDR: is the agent running? ($(cat "$work/curl"))"
[ "$code" = 200 ] || fail "Nomad refused the snapshot (HTTP $code): $(head -c 300 "$partial")"
# A 200 is no proof: Nomad sends it before the archive, which may stop midway.
# The archive must match the Digest header (sha-256), then its own SHA256SUMS.
digest=$(grep -i '^digest: sha-256=' "$work/headers" | tr -d '\r') || fail "no Digest header in Nomad's answer: cannot check the snapshot"
[ "$(base64 -d <<<"${digest#*=}" 2>/dev/null | od -An -v -tx1 | tr -d ' \n')" = "$(sha256sum <"$partial" | cut -d' ' -f1)" ] ||
	fail "the snapshot does not match its Digest header: cut short on the way?"
tar -xzf "$partial" -C "$work" meta.json state.bin SHA256SUMS 2>/dev/null || fail "the snapshot is not a complete archive (gzip, tar)"
(cd "$work" && sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1) || fail "the snapshot's content does not match its SHA256SUMS"
mv "$partial" "$file"
echo "backup: $file ($(wc -c <"$file") bytes)"

# Retention: the newest snapshots stay, the older ones go.
old=$(find "$dir" -maxdepth 1 -name 'nomad-*.snap' | sort -r | tail -n +"$((keep + 1))")
if [ -n "$old" ]; then
	while IFS= read -r snap; do rm -f "$snap"; done <<<"$old"
	echo "backup: removed $(wc -l <<<"$old") old snapshot(s), kept $keep"
fi
