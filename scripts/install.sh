#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: system packages, then the Python
# package in editable mode. `--test` adds what the tests need (headless Chromium, CJK fonts).
set -euo pipefail
cd "$(dirname "$0")/.."

# libreoffice-writer-nogui: converts legacy .doc/.wps attachments to DOCX (extractors/wordprocessing.py)
apt_packages=(fonts-noto-cjk ghostscript libreoffice-writer-nogui)
if [[ "${1:-}" == "--test" ]]; then
  apt_packages+=(chromium chromium-driver redis-server)  # redis-server: the scale-out tests start one
fi

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  echo "installing system packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

extra=""
[[ "${1:-}" == "--test" ]] && extra="[test]"
python3 -m pip install -q -e ".${extra}"
