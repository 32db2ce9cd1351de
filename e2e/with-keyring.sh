#!/usr/bin/env bash
# Runs its arguments with a fresh, unlocked gnome-keyring Secret Service
# on the current D-Bus session (start it under dbus-run-session).
set -euo pipefail
export XDG_DATA_HOME="$(mktemp -d)"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'e2e-keyring-password' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
export CTWIZ_E2E_KEYRING=1
"$@"
