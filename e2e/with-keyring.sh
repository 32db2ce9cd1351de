#!/usr/bin/env bash
# Runs its arguments with a fresh, unlocked gnome-keyring Secret Service
# on the current D-Bus session (start it under dbus-run-session). The
# keyring and runtime folders are private to the run and removed after it.
set -euo pipefail
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data"
mkdir -p "$XDG_DATA_HOME"
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
	export XDG_RUNTIME_DIR="$scratch/run"
	mkdir -m 700 "$XDG_RUNTIME_DIR"
fi
eval "$(printf 'e2e-keyring-password' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
export CTWIZ_E2E_KEYRING=1
"$@"
