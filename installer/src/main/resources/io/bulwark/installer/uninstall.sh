#!/usr/bin/env bash
# Removes everything install.sh installed: the unit, the files, the data dir and the user.
#   --root DIR       uninstall from DIR instead of /
#   --remove-table   also remove the agent's own rules and nothing else: its nftables table
#                    (inet bulwark), its iptables chains (BULWARK-*) and ipsets (bw-*), or its
#                    rule files (bulwark*) in the rule directory
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
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
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
kind=nftables
rules=""
rules_created=0
if [[ -f "$root/etc/bulwark-agent/agent.env" ]]; then
  kind="$(sed -n 's/^BULWARK_APPLIER=//p' "$root/etc/bulwark-agent/agent.env")"
  rules_dir="$(sed -n 's/^BULWARK_FILE_DIR=//p' "$root/etc/bulwark-agent/agent.env")"
  [[ -n "$rules_dir" ]] && rules="$root$rules_dir"
  [[ -f "$root/etc/bulwark-agent/rules-dir.created" ]] && rules_created=1
fi
rm -rf "$root/opt/bulwark-agent" "$root/etc/bulwark-agent" "$root/var/lib/bulwark-agent"
if [[ -n "$rules" && -d "$rules" ]] && { [[ "$remove_table" -eq 1 ]] || [[ "$rules_created" -eq 1 ]]; }; then
  find "$rules" -maxdepth 1 -type f -name 'bulwark*' -delete
  rm -rf "$rules/.bulwark-staging"
  say "removed the agent's rule files (bulwark*) from $rules"
  if [[ "$rules_created" -eq 1 ]] && rmdir "$rules" 2>/dev/null; then
    say "removed the rule directory $rules, which install.sh created"
    # Inside --root, also the parents install.sh made, up to the root.
    parent="$(dirname "$rules")"
    while [[ -n "$root" && "$parent" != "$root" && "$parent" == "$root"/* ]] && rmdir "$parent" 2>/dev/null; do
      parent="$(dirname "$parent")"
    done
  fi
fi
# Directories install.sh may have made inside an otherwise empty --root.
for dir in etc/systemd/system etc/systemd var/lib var opt etc; do
  [[ -n "$root" ]] && rmdir "$root/$dir" 2>/dev/null || true
done
if [[ -z "$root" ]] && id bulwark-agent >/dev/null 2>&1; then
  userdel bulwark-agent
  say "removed system user bulwark-agent"
fi
if [[ "$remove_table" -eq 1 && "$kind" == iptables ]]; then
  ipset="${BULWARK_IPSET:-ipset}"
  for tables in "${BULWARK_IPTABLES:-iptables}" "${BULWARK_IP6TABLES:-ip6tables}"; do
    for chain in INPUT FORWARD OUTPUT; do
      while "$tables" -D "$chain" -j "BULWARK-$chain" 2>/dev/null; do :; done
      if "$tables" -F "BULWARK-$chain" 2>/dev/null; then
        "$tables" -X "BULWARK-$chain"
      fi
    done
  done
  for set in $("$ipset" list -n 2>/dev/null | grep '^bw-' || true); do
    "$ipset" destroy "$set"
  done
  say "deleted the BULWARK iptables chains and the bw- ipsets"
elif [[ "$remove_table" -eq 1 && "$kind" != file ]]; then
  nft="${BULWARK_NFT:-nft}"
  if "$nft" list table inet bulwark >/dev/null 2>&1; then
    "$nft" delete table inet bulwark
    say "deleted nftables table inet bulwark"
  else
    say "no nftables table inet bulwark to delete"
  fi
fi
say "removed the Bulwark agent"
