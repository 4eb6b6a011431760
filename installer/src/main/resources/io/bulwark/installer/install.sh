#!/usr/bin/env bash
# Installs the Bulwark agent from this package. Safe to run again.
#   --root DIR     install under DIR instead of / (for tests and image builds)
#   --no-systemd   do not install or start the systemd unit; run the agent in the foreground
#   --no-start     with --no-systemd: install only, run nothing
#   --reenroll     install this package's token even though the host is enrolled: the agent uses it
#                  once its certificate has expired (done without asking when openssl sees it expired)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root=""
systemd=1
start=1
reenroll=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --no-systemd) systemd=0; shift ;;
    --no-start) start=0; shift ;;
    --reenroll) reenroll=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if [[ -n "$root" ]]; then
  mkdir -p "$root"
  root="$(cd "$root" && pwd)"
fi

say() { echo "install.sh: $*"; }
fail() { echo "install.sh: $*" >&2; exit 1; }

# shellcheck source=/dev/null
. "$here/agent.env"
user=bulwark-agent
opt="$root/opt/bulwark-agent"
etc="$root/etc/bulwark-agent"
data="$root/var/lib/bulwark-agent"
unit="$root/etc/systemd/system/bulwark-agent.service"

command -v java >/dev/null 2>&1 || fail "Java 17 or newer is needed (Debian: apt-get install -y openjdk-17-jre-headless)"
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
[[ "${java_major:-0}" -ge 17 ]] || fail "Java 17 or newer is needed, found '${java_major:-unknown}'"
# The agent's JVM options, tried here so that a Java refusing one fails the install with its reason
# instead of the service at every start (the unit does not see this shell's JAVA_TOOL_OPTIONS and
# the like, so neither do the tries). Where this Java accepts it, the agent also gives freed native
# memory back every 5 s: about 4 MB less resident when idle. Under --root, the Java of the machine
# running this decides.
java_bin="$(command -v java)"
try_java() { env -u JDK_JAVA_OPTIONS -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS "$java_bin" "$@"; }
# shellcheck disable=SC2086
output="$(try_java $JAVA_OPTS -version 2>&1)" \
  || fail "$java_bin does not start with the agent's options: $(grep -v '^$' <<<"$output" | head -n 2 | tr '\n' ' ')(options: $JAVA_OPTS)"
trim="-XX:TrimNativeHeapInterval=5000"
# shellcheck disable=SC2086
if [[ "$JAVA_OPTS" == *TrimNativeHeapInterval* ]] || ! try_java $JAVA_OPTS $trim -version >/dev/null 2>&1; then
  trim=""
fi
need() { command -v "$1" >/dev/null 2>&1 || fail "the $BULWARK_APPLIER kind needs $1 (Debian: apt-get install -y $2)"; }
case "$BULWARK_APPLIER" in
  nftables) need nft nftables ;;
  iptables)
    need ipset ipset
    for tool in iptables-restore iptables-save ip6tables-restore ip6tables-save; do need "$tool" iptables; done ;;
  file)
    for command in "$BULWARK_FILE_CHECK" "$BULWARK_FILE_RELOAD"; do
      [[ -z "$command" ]] || need "${command%% *}" "$BULWARK_FILE_PACKAGE"
    done ;;
esac

# A system user, unless installing into a root without its own user database.
owner="root"
if [[ -z "$root" ]]; then
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /var/lib/bulwark-agent --shell /usr/sbin/nologin "$user"
    say "created system user $user"
  fi
  owner="$user"
else
  say "--root: files stay owned by $(id -un); no system user is created"
fi

install -d -m 0755 "$opt" "$root/etc/systemd/system"
install -d -m 0750 "$etc"
install -d -m 0700 "$data"
install -m 0644 "$here/bulwark-agent.jar" "$opt/bulwark-agent.jar"
install -m 0644 "$here/README" "$opt/README"
install -m 0755 "$here/uninstall.sh" "$opt/uninstall.sh"
install -m 0640 "$here/agent.env" "$etc/agent.env"
if [[ -n "$trim" ]]; then
  sed -i "/^JAVA_OPTS=/ s|\"\$| $trim\"|" "$etc/agent.env"
  JAVA_OPTS="$JAVA_OPTS $trim"
fi
expired=0
if [[ -f "$data/agent.crt" ]] && command -v openssl >/dev/null 2>&1 \
    && openssl x509 -noout -in "$data/agent.crt" >/dev/null 2>&1 \
    && ! openssl x509 -checkend 0 -noout -in "$data/agent.crt" >/dev/null 2>&1; then
  expired=1
fi
if [[ -f "$data/agent.crt" && "$reenroll" -eq 0 && "$expired" -eq 0 ]]; then
  say "already enrolled; the token in this package is not needed again (--reenroll installs it anyway)"
else
  install -m 0600 "$here/enroll.token" "$data/enroll.token"
  if [[ -f "$data/agent.crt" ]]; then
    say "installed the token: the agent enrolls again with it once its certificate has expired"
  fi
fi
if [[ "$owner" != root ]]; then
  chown root:"$user" "$etc" "$etc/agent.env"
  chown -R "$user:$user" "$data"
fi
if [[ "$BULWARK_APPLIER" == file ]]; then
  rules="$root$BULWARK_FILE_DIR"
  if [[ ! -d "$rules" ]]; then
    install -d -m 0755 "$rules"
    touch "$etc/rules-dir.created"
    say "created the rule directory $rules"
  fi
  if [[ "$owner" != root && -f "$etc/rules-dir.created" ]]; then
    chown "$user:$user" "$rules"
  elif [[ "$owner" != root ]] && ! runuser -u "$user" -- test -w "$rules"; then
    fail "$user cannot write $rules; let it: chgrp $user $rules && chmod g+w $rules"
  fi
fi
say "installed the agent for device $BULWARK_DEVICE ($BULWARK_APPLIER) under $opt, $etc and $data"

if [[ "$systemd" -eq 1 ]]; then
  install -m 0644 "$here/bulwark-agent.service" "$unit"
  if [[ -z "$root" ]]; then
    systemctl daemon-reload
    systemctl enable --now bulwark-agent.service
    systemctl restart bulwark-agent.service
    say "started bulwark-agent.service (journalctl -u bulwark-agent to follow it)"
  else
    say "--root: installed $unit but started nothing"
  fi
elif [[ "$start" -eq 1 ]]; then
  say "running the agent in the foreground (Ctrl-C stops it)"
  export MALLOC_ARENA_MAX
  # The agent reads BULWARK_FILE_*, _DRIFT_*, _CONFIRM_WINDOW and _ELEMENT_CHECK_INTERVAL from its
  # environment, as under systemd.
  export BULWARK_FILE_TARGET BULWARK_FILE_DIR BULWARK_FILE_CHECK BULWARK_FILE_RELOAD
  export BULWARK_DRIFT_POLICY BULWARK_DRIFT_INTERVAL BULWARK_CONFIRM_WINDOW BULWARK_ELEMENT_CHECK_INTERVAL
  # shellcheck disable=SC2086
  exec java $JAVA_OPTS -jar "$opt/bulwark-agent.jar" --controller "$BULWARK_CONTROLLER" \
    --token-file "$data/enroll.token" --data-dir "$data" --applier "$BULWARK_APPLIER"
fi
