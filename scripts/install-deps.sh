#!/usr/bin/env bash
# Installs the system packages detview builds and tests with, if any is missing.
# Idempotent: says what it installs, and does nothing when all are present.
set -euo pipefail
# What building and running need; with --test also what the tests drive: tmux, and xterm, xvfb,
# imagemagick and xdotool (the sixel test runs the viewer in a real xterm on an Xvfb display).
packages=(libzmq3-dev liblz4-dev libncurses-dev ncurses-term)
if [ "${1:-}" = "--test" ]; then
    packages+=(tmux xterm xvfb imagemagick xdotool)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "detview: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
echo "detview: installed ${missing[*]}"
