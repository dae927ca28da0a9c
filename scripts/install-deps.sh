#!/usr/bin/env bash
# Installs the system packages detview builds and tests with, if any is missing.
# Idempotent: says what it installs, and does nothing when all are present.
set -euo pipefail
# What building and running need; with --test also what the tests drive: tmux, and xterm, xvfb,
# imagemagick and xdotool (the sixel test runs the viewer in a real xterm on an Xvfb display), and
# kitty (the kitty graphics test runs it on the same display, with Mesa's software OpenGL).
# kitty comes without its recommends: they are its 10 MB manual and a sound library.
packages=(libzmq3-dev liblz4-dev libncurses-dev libpng-dev ncurses-term)
bare=()
if [ "${1:-}" = "--test" ]; then
    packages+=(tmux xterm xvfb imagemagick xdotool)
    bare+=(kitty)
fi
missing=()
missing_bare=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for p in "${bare[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_bare+=("$p")
done
if [ $((${#missing[@]} + ${#missing_bare[@]})) -eq 0 ]; then
    exit 0
fi
echo "detview: installing ${missing[*]} ${missing_bare[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
[ ${#missing[@]} -eq 0 ] || $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
[ ${#missing_bare[@]} -eq 0 ] || $sudo apt-get install -y -qq --no-install-recommends "${missing_bare[@]}" >/dev/null
echo "detview: installed ${missing[*]} ${missing_bare[*]}"
