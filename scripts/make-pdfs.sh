#!/usr/bin/env bash
# Regenerate the PDF twin of every Markdown letter in the corpus.
#
#   scripts/make-pdfs.sh                 # every corpus/**/*.md (README.md files skipped)
#   scripts/make-pdfs.sh FILE.md DIR ... # only these files / the .md files under these dirs
#
# Each LETTER.md becomes LETTER.pdf beside it: scripts/md2fodt.py writes a Flat ODT
# (A4, running header with the title, "Side N av M" footer, real tables) into a
# temporary folder, and LibreOffice converts all of them to PDF in one run.
#
# Needs: python3, and LibreOffice Writer with the Liberation fonts (Debian/Ubuntu):
#   apt-get update && apt-get install -y --no-install-recommends \
#       libreoffice-writer-nogui fonts-liberation
# (poppler-utils gives pdftotext/pdftoppm for checking the result.)
# Set SOFFICE=/path/to/soffice to use another LibreOffice.
#
# Idempotent and deterministic: LibreOffice's only run-to-run differences (the
# creation date, the document /ID and /DocChecksum) are rewritten in place, the date to
# SOURCE_DATE_EPOCH (default 2026-01-01T00:00:00Z) and the /ID to a hash of the
# content, so the same .md gives a byte-identical .pdf; a PDF whose bytes did not
# change is left untouched (mtime too).
# Exit status: 0 all converted, 1 some failed, 2 usage error, 3 LibreOffice missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
md2fodt="$here/md2fodt.py"

soffice="${SOFFICE:-}"
if [[ -z "$soffice" ]]; then
    soffice="$(command -v soffice || command -v libreoffice || true)"
fi
if [[ -z "$soffice" || ! -x "$soffice" ]]; then
    cat >&2 <<'EOF'
make-pdfs: LibreOffice (soffice) not found. Install it with:
    apt-get update && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation
(or set SOFFICE=/path/to/soffice)
EOF
    exit 3
fi
if ! command -v python3 >/dev/null; then
    echo "make-pdfs: python3 not found" >&2
    exit 3
fi
if command -v fc-list >/dev/null && ! fc-list 2>/dev/null | grep -q 'Liberation Sans'; then
    echo "make-pdfs: warning: font 'Liberation Sans' missing (apt-get install -y fonts-liberation); LibreOffice will substitute another font" >&2
fi

# ---- collect the Markdown files, sorted, absolute paths
files=()
collect_dir() {
    local f
    while IFS= read -r -d '' f; do
        files+=("$f")
    done < <(find "$1" -type f -name '*.md' ! -iname 'readme.md' -print0 | LC_ALL=C sort -z)
}
if [[ $# -eq 0 ]]; then
    if [[ ! -d "$root/corpus" ]]; then
        echo "make-pdfs: no corpus folder at $root/corpus" >&2
        exit 2
    fi
    collect_dir "$root/corpus"
else
    for a in "$@"; do
        if [[ -d "$a" ]]; then
            collect_dir "$(cd "$a" && pwd)"
        elif [[ -f "$a" && "$a" == *.md ]]; then
            files+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")")
        else
            echo "make-pdfs: not a .md file or folder: $a" >&2
            exit 2
        fi
    done
fi
if [[ ${#files[@]} -eq 0 ]]; then
    echo "make-pdfs: no .md files found"
    exit 0
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/make-pdfs.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in" "$tmp/out"

# ---- Markdown -> .fodt (numbered names: letters in different series may share a name)
failed=0
declare -a ids=()
for i in "${!files[@]}"; do
    id="$(printf 'd%05d' "$i")"
    if python3 "$md2fodt" "${files[$i]}" -o "$tmp/in/$id.fodt"; then
        ids+=("$i")
    else
        echo "make-pdfs: FAILED (md2fodt): ${files[$i]}" >&2
        failed=$((failed + 1))
    fi
done

# ---- .fodt -> .pdf, in batches (LibreOffice is slow to start)
start=$SECONDS
batch=100
for ((b = 0; b < ${#ids[@]}; b += batch)); do
    chunk=()
    for i in "${ids[@]:b:batch}"; do
        chunk+=("$tmp/in/$(printf 'd%05d' "$i").fodt")
    done
    TZ=UTC SAL_USE_VCLPLUGIN=svp timeout $((120 + 30 * ${#chunk[@]})) \
        "$soffice" -env:UserInstallation="file://$tmp/profile" --headless --norestore \
        --nolockcheck --convert-to pdf --outdir "$tmp/out" "${chunk[@]}" \
        >"$tmp/soffice.log" 2>&1 || {
        echo "make-pdfs: soffice exited with an error:" >&2
        cat "$tmp/soffice.log" >&2
    }
done
elapsed=$((SECONDS - start))

# ---- make the PDFs reproducible: fixed date, content-derived /ID (same byte length)
normalise() {
    python3 - "$1" <<'EOF'
import hashlib, os, re, sys, time
path = sys.argv[1]
data = open(path, "rb").read()
epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))  # 2026-01-01T00:00:00Z
stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)).encode()
def fix_date(m):
    tz = m.group(2)
    tz = re.sub(rb"\d", b"0", tz).replace(b"-", b"+")
    return m.group(1) + stamp + tz
data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}((?:Z'?|[+-]\d\d'\d\d'?)?)", fix_date, data)
ID_RE = rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)"
SUM_RE = rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)"
zeroed = re.sub(ID_RE, lambda m: m.group(1) + b"0" * len(m.group(2)) + m.group(3)
                + b"0" * len(m.group(4)) + m.group(5), data)
zeroed = re.sub(SUM_RE, lambda m: m.group(1) + b"0" * len(m.group(2)), zeroed)
digest = hashlib.md5(zeroed).hexdigest().upper().encode()
def fix_id(m):
    return m.group(1) + digest[:len(m.group(2))] + m.group(3) + digest[:len(m.group(4))] + m.group(5)
data = re.sub(ID_RE, fix_id, zeroed)
data = re.sub(SUM_RE, lambda m: m.group(1) + digest[:len(m.group(2))], data)
open(path, "wb").write(data)
EOF
}

# ---- move each PDF next to its .md
written=0
unchanged=0
for i in "${ids[@]}"; do
    src="$tmp/out/$(printf 'd%05d' "$i").pdf"
    md="${files[$i]}"
    dst="${md%.md}.pdf"
    if [[ ! -s "$src" ]] || [[ "$(head -c 5 "$src")" != "%PDF-" ]]; then
        echo "make-pdfs: FAILED (soffice): $md" >&2
        failed=$((failed + 1))
        continue
    fi
    normalise "$src"
    if [[ -f "$dst" ]] && cmp -s "$src" "$dst"; then
        unchanged=$((unchanged + 1))
    else
        mv -f "$src" "$dst"
        written=$((written + 1))
        echo "wrote ${dst#"$root/"}"
    fi
done

echo "make-pdfs: ${#files[@]} letters: $written written, $unchanged unchanged, $failed failed (LibreOffice ${elapsed}s)"
[[ $failed -eq 0 ]]
