#!/usr/bin/env bash
# Removes everything install.sh installed: the unit, the files, the data dir and the user.
#   --root DIR       uninstall from DIR instead of /
#   --remove-table   also delete the agent's own nftables table (inet bulwark); nothing else
#   --no-systemd     do not stop or disable the systemd unit
set -euo pipefail

root=""
remove_table=0
systemd=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --remove-table) remove_table=1; shift ;;
    --no-systemd) systemd=0; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if [[ -n "$root" ]]; then
  root="$(cd "$root" && pwd)"
fi
say() { echo "uninstall.sh: $*"; }

if [[ "$systemd" -eq 1 && -z "$root" ]] && command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now bulwark-agent.service 2>/dev/null || true
fi
rm -f "$root/etc/systemd/system/bulwark-agent.service"
if [[ "$systemd" -eq 1 && -z "$root" ]] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload || true
fi
rm -rf "$root/opt/bulwark-agent" "$root/etc/bulwark-agent" "$root/var/lib/bulwark-agent"
# Directories install.sh may have made inside an otherwise empty --root.
for dir in etc/systemd/system etc/systemd var/lib var opt etc; do
  [[ -n "$root" ]] && rmdir "$root/$dir" 2>/dev/null || true
done
if [[ -z "$root" ]] && id bulwark-agent >/dev/null 2>&1; then
  userdel bulwark-agent
  say "removed system user bulwark-agent"
fi
if [[ "$remove_table" -eq 1 ]]; then
  nft="${BULWARK_NFT:-nft}"
  if "$nft" list table inet bulwark >/dev/null 2>&1; then
    "$nft" delete table inet bulwark
    say "deleted nftables table inet bulwark"
  else
    say "no nftables table inet bulwark to delete"
  fi
fi
say "removed the Bulwark agent"
