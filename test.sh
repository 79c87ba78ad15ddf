#!/usr/bin/env bash
# Runs every test of the solution and ends with exactly one summary line: "N passed, N failed".
# Exit code is dotnet test's (non-zero when a test failed or none ran).
set -uo pipefail

cd "$(dirname "$0")"

rm -rf TestResults

# The whole solution first: dotnet test skips projects that are not test projects, so the benchmarks would otherwise go
# unbuilt and could break unnoticed.
if ! dotnet build MiniPaas.sln; then
  echo "The solution does not build; no test ran" >&2
  echo "0 passed, 0 failed"
  exit 1
fi

dotnet test MiniPaas.sln --no-build \
  --logger "trx;LogFileName=results.trx" \
  --logger "console;verbosity=normal" \
  --results-directory TestResults
status=$?

passed=0
failed=0
shopt -s nullglob globstar
trx_files=(TestResults/**/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -eq 0 ] && { [ "${#trx_files[@]}" -eq 0 ] || [ "$passed" -eq 0 ]; }; then
  echo "No tests ran" >&2
  status=1
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test failed outside the test cases (a fixture's setup or cleanup, or the run itself); see the output above" >&2
fi

echo "$passed passed, $failed failed"
exit "$status"
