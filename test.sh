#!/usr/bin/env bash
# The README's test command: installs what the suite needs beyond the .NET SDK, then runs every test.
# This is the one list of the suite's prerequisites; .ci/run calls this script and keeps no copy of it.
# Extra arguments go to 'dotnet test' (for example: ./test.sh --filter Dashboard).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian package → the file that shows it is installed. The tests start their own throwaway PostgreSQL with
# initdb/pg_ctl, render /dashboard in headless Chromium, and put a silo in its own network namespace with ip.
declare -A prerequisites=(
  [postgresql]="/usr/lib/postgresql/*/bin/initdb"
  [chromium]="/usr/bin/chromium"
  [iproute2]="/usr/sbin/ip"
)

missing=()
for package in "${!prerequisites[@]}"; do
  compgen -G "${prerequisites[$package]}" >/dev/null || missing+=("$package")
done

install_missing() {
  command -v apt-get >/dev/null || { echo "test.sh: not a Debian machine (no apt-get)"; return 1; }
  local run=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || { echo "test.sh: not root and no password-less sudo"; return 1; }
    run=(sudo)
  fi
  "${run[@]}" apt-get update -q &&
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  if ! install_missing "${missing[@]}"; then
    # The tests that need a missing package still run and fail, each naming the package; nothing is skipped.
    echo "test.sh: could not install ${missing[*]}; install them yourself (Debian: apt-get install -y ${missing[*]})" >&2
  fi
fi

dotnet restore orleans.sln

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# A test still running after 15 minutes is a hang (the slowest takes about one under load): the run stops there and
# names it, instead of running into CI's time limit with nothing said.
dotnet test orleans.sln --no-restore --blame-hang-timeout 15m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run (dotnet test prints one summary per test assembly).
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i+1) + 0
         if ($i == "Passed:") passed += $(i+1) + 0
         if ($i == "Skipped:") skipped += $(i+1) + 0
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit "$status"
