#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the scenario files (tests/scenarios and, when present,
# the shared corpus), plus #s= and #z= links of each for the link target.
set -eu
cd "$(dirname "$0")"
for t in parse analyses link; do mkdir -p "corpus/$t"; done
for f in ../tests/scenarios/*.kl ${KEYLINE_SHARED_SCENARIOS:-/work/shared/scenarios}/*.kl; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    for t in parse analyses link; do cp "$f" "corpus/$t/$b"; done
    # base64url without padding, as the app writes links.
    printf '#s=%s' "$(base64 -w0 <"$f" | tr '+/' '-_' | tr -d '=')" >"corpus/link/s-$b"
done
# #z= links (raw DEFLATE) need zlib: python3 when it is there.
if command -v python3 >/dev/null; then
    python3 - ../tests/scenarios/*.kl ${KEYLINE_SHARED_SCENARIOS:-/work/shared/scenarios}/*.kl <<'PY'
import base64, os, sys, zlib
for f in sys.argv[1:]:
    if not os.path.isfile(f):
        continue
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    z = c.compress(open(f, "rb").read()) + c.flush()
    with open("corpus/link/z-" + os.path.basename(f), "w") as out:
        out.write("#z=" + base64.urlsafe_b64encode(z).decode().rstrip("="))
PY
fi
