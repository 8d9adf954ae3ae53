#!/usr/bin/env bash
# The API against its own document: schemathesis (PyPI, in a throwaway venv) with every check,
# on a freshly seeded demo database, as a couple of roles. Fails on any 5xx or schema violation.
#
#   scripts/schemathesis.sh                 # default budget (a few minutes on 2 cores)
#   EXAMPLES=50 ROLES="admin bank" scripts/schemathesis.sh
#   SCHEMATHESIS=/path/to/schemathesis scripts/schemathesis.sh   # reuse an installed one
#   REPORT_DIR=/tmp/st scripts/schemathesis.sh                   # keep the NDJSON reports
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
EXAMPLES=${EXAMPLES:-15}
ROLES=${ROLES:-"admin cadre"}
WORKERS=${WORKERS:-1}
VERSION=${SCHEMATHESIS_VERSION:-4.32.5}

tmp=$(mktemp -d)
server=""
cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

st=${SCHEMATHESIS:-}
if [[ -z "$st" ]]; then
    echo "installing schemathesis $VERSION into a throwaway venv" >&2
    python3 -m venv "$tmp/venv"
    "$tmp/venv/bin/pip" install -q "schemathesis==$VERSION"
    st="$tmp/venv/bin/schemathesis"
fi

cargo build -q -p grassroots --bin grassroots
bin="$root/target/debug/grassroots"

# A fresh seeded demo on a free port; it prints its address once it listens.
"$bin" demo --addr 127.0.0.1:0 --file "$tmp/demo.db" >"$tmp/demo.out" 2>"$tmp/demo.err" &
server=$!
url=""
for _ in $(seq 1 300); do
    url=$(sed -n 's/^grassroots demo on \(http:[^ ]*\).*/\1/p' "$tmp/demo.out")
    [[ -n "$url" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$tmp/demo.err" >&2; exit 1; }
    sleep 0.2
done
[[ -n "$url" ]] || { echo "the demo server did not start" >&2; exit 1; }
echo "demo server at $url" >&2

status=0
for role in $ROLES; do
    token=$("$bin" --database-url "sqlite://$tmp/demo.db" --key-file "$tmp/demo.key" \
        token create --user "$role" --name schemathesis)
    echo "== schemathesis as $role ==" >&2
    # `--max-examples` bounds each operation; the seed makes runs repeatable.
    # Run from the temp dir: schemathesis keeps a `.schemathesis` cache in the working directory.
    if ! (cd "$tmp" && GRASSROOTS_ST_TOKEN="$token" SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$root/scripts" "$st" \
        --config-file "$root/scripts/schemathesis.toml" run "$url/api/v1/openapi.json" \
        --url "$url" \
        --checks all \
        --max-examples "$EXAMPLES" \
        --workers "$WORKERS" \
        --seed 7 \
        --no-shrink \
        --suppress-health-check all \
        --request-timeout 30 \
        --report ndjson --report-dir "${REPORT_DIR:-$tmp}/report-$role"); then
        status=1
    fi
done
if grep -q "request failed" "$tmp/demo.err"; then
    echo "server errors logged by the demo server:" >&2
    grep "request failed" "$tmp/demo.err" | head -20 >&2
    status=1
fi
exit "$status"
