#!/usr/bin/env bash
# The system packages the tests need and npm cannot bring: Debian's Chromium
# (Playwright's own browser download has no host here) and a CJK font, so
# Chinese text renders in screenshots. Installs only what is missing, with
# sudo when not root. Used by `npm test` (scripts/test.ts) when Chromium is
# missing and by CI (.ci/run).
set -euo pipefail
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
  echo "already present: chromium, fonts-noto-cjk"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "missing: ${missing[*]}, and this is not a Debian or Ubuntu machine: install Chromium (or Chrome) and set CHROMIUM_PATH" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
