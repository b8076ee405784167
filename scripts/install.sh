#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: system packages, then the Python
# package, editable, in a virtual environment at .venv (Debian's own python3 refuses `pip
# install`: it is externally managed). `--test` adds what the tests need (headless Chromium,
# CJK fonts, Redis, the test libraries).
#
# The environment sees the system's Python libraries (--system-site-packages), so those Debian
# or the machine already has are not downloaded again; pip installs what is missing or too old.
set -euo pipefail
cd "$(dirname "$0")/.."

# libreoffice-writer-nogui: converts legacy .doc/.wps attachments to DOCX (extractors/wordprocessing.py)
# poppler-utils: pdftohtml, which the tests use to make positioned HTML (extractors/html_positioned.py) of corpus PDFs
apt_packages=(fonts-noto-cjk ghostscript libreoffice-writer-nogui poppler-utils)
if [[ "${1:-}" == "--test" ]]; then
  apt_packages+=(chromium chromium-driver redis-server)  # redis-server: the scale-out tests start one
fi
# python3 -m venv needs ensurepip, which Debian ships separately
python3 -c "import ensurepip, venv" 2>/dev/null || apt_packages+=(python3-venv)

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

if [[ ! -x .venv/bin/python ]]; then
  echo "creating the virtual environment .venv"
  python3 -m venv --system-site-packages .venv
fi
extra=""
[[ "${1:-}" == "--test" ]] && extra="[test]"
.venv/bin/python -m pip install -q -e ".${extra}"
echo "installed: .venv/bin/budgets (or: source .venv/bin/activate)"
