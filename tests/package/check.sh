#!/usr/bin/env bash
# The Debian package, installed on this machine as a town's IT team would
# (run as root; it installs, removes and purges the package `passerelle`):
#
# - `dpkg -i` puts `passerelle` in the PATH, its configuration in /etc as a
#   conffile, and the systemd unit, which `systemd-analyze verify` accepts
#   and `systemd-analyze security` scores;
# - the installed binary, started as an unprivileged user with the packaged
#   configuration (from `/`, the state directory made as systemd makes it),
#   loads Roubaix on first start and serves `/healthz`;
# - `dpkg -r` keeps the data and the edited configuration, and a new
#   `dpkg -i` serves the same data with the same configuration;
# - `dpkg --purge` removes the configuration and keeps the data, unless
#   PASSERELLE_PURGE_DATA=yes says to erase it too.
#
# Usage: tests/package/check.sh PACKAGE.deb
set -euo pipefail
deb=$(realpath "$1")
user=passerelle-pkg-check
state=/var/lib/passerelle
conf=/etc/passerelle/passerelle.toml
log=$(mktemp)
server=

fail() { echo "FAIL: $*"; [ -s "$log" ] && sed 's/^/  | /' "$log"; exit 1; }
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  pkill -u "$user" 2>/dev/null || true
  dpkg --purge passerelle >/dev/null 2>&1 || true
  rm -rf "$state" /var/lib/private/passerelle "$log"
  userdel "$user" 2>/dev/null || true
}
trap cleanup EXIT

as_user() { (cd / && exec setpriv --reuid="$user" --regid="$user" --clear-groups -- "$@"); }

start() {
  : > "$log"
  # One subshell that `exec`s all the way down: `$!` is the server itself,
  # and `kill` stops it.
  (cd / && exec setpriv --reuid="$user" --regid="$user" --clear-groups -- \
    env -i PATH=/usr/bin:/bin PASSERELLE_LOG=warn \
    passerelle --config "$conf" serve --bind 127.0.0.1:0 >> "$log" 2>&1) &
  server=$!
  for _ in $(seq 1 300); do
    base=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 || true)
    [ -n "$base" ] && break
    kill -0 "$server" 2>/dev/null || fail "the server stopped"
    sleep 0.1
  done
  [ -n "$base" ] || fail "the server did not start"
  health=$(curl -fsS "$base/healthz") || fail "/healthz did not answer 200"
  echo "$health" | grep -q '"status":"ok"' || fail "/healthz: $health"
  echo "$health"
}

stop() {
  kill "$server"; wait "$server" || true; server=
  ! pgrep -u "$user" > /dev/null || fail "a server outlived its stop"
}

cleanup
id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"

echo "-- install"
dpkg -i "$deb" > /dev/null
[ "$(command -v passerelle)" = /usr/bin/passerelle ] || fail "passerelle is not in the PATH"
passerelle --help | grep -q "Cité éducative" || fail "passerelle --help"
dpkg-query -W -f='${Conffiles}\n' passerelle | grep -q "$conf" || fail "$conf is not a conffile"
unit=$(dpkg -L passerelle | grep '/systemd/system/passerelle.service$') || fail "no systemd unit"
for key in DynamicUser=yes StateDirectory=passerelle ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
  NoNewPrivileges=yes CapabilityBoundingSet= "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
  SystemCallFilter=@system-service MemoryDenyWriteExecute=yes; do
  grep -qx "$key" "$unit" || fail "the unit lacks $key"
done
systemd-analyze verify "$unit" || fail "systemd-analyze verify"
systemd-analyze security --offline=true "$unit" | grep "Overall exposure level" || fail "systemd-analyze security"

echo "-- first start, as an unprivileged user"
install -d -o "$user" -g "$user" -m 700 "$state"
start
as_user env -i PATH=/usr/bin:/bin passerelle --config "$conf" admin create --email it@ville-exemple.fr \
  --name "Service informatique" <<< "une-phrase-de-passe-assez-longue" > /dev/null || fail "admin create"
stop
[ -f "$state/passerelle.db" ] || fail "no database in $state"

echo "-- remove, then install again: the data and the edited configuration stay"
sed -i 's|^# mail_from = .*|mail_from = "Cité éducative <cite-educative@ville-exemple.fr>"|' "$conf"
dpkg -r passerelle > /dev/null
! command -v passerelle > /dev/null || fail "passerelle still installed"
[ -f "$state/passerelle.db" ] || fail "dpkg -r removed the data"
grep -q cite-educative@ville-exemple.fr "$conf" || fail "dpkg -r removed the edited configuration"
dpkg -i "$deb" > /dev/null
grep -q cite-educative@ville-exemple.fr "$conf" || fail "a new install replaced the edited configuration"
start
as_user env -i PATH=/usr/bin:/bin passerelle --config "$conf" admin token --email it@ville-exemple.fr \
  --label paquet > /dev/null || fail "the account made before removal is gone"
stop

echo "-- purge: the configuration goes, the data stays unless asked"
dpkg --purge passerelle
[ ! -e /etc/passerelle ] || fail "purge left /etc/passerelle"
[ -f "$state/passerelle.db" ] || fail "purge erased the data without being asked"
dpkg -i "$deb" > /dev/null
PASSERELLE_PURGE_DATA=yes dpkg --purge passerelle
[ ! -e "$state" ] || fail "PASSERELLE_PURGE_DATA=yes left $state"
echo "package: installed, served, removed, reinstalled and purged as documented"
