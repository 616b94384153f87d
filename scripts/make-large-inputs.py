#!/usr/bin/env python3
"""Write the large inputs for scripts/measure-large-inputs.sh into a folder (not committed).

    scripts/make-large-inputs.py OUT_DIR [SIZE_MB ...]     (sizes default to 100 200 400)

- OUT_DIR/large-1000-pages.pdf: a 1,000-page letter: the sample corpus letters' lines set
  in Helvetica, 46 lines a page, each page's content stream Flate-compressed, with a
  running header and a "Side N av 1000" footer as LibreOffice writes them.
- OUT_DIR/large-<SIZE>mb.md: the sample corpus letters (Markdown) repeated to SIZE MB, with
  the oppdrag IDs numbered on so that items do not merge: the items reported grow with
  the size (about 240 per MB).
- OUT_DIR/large-<SIZE>mb-same.md: the letters repeated as they are: every repeat merges
  with the first, so the items reported stay the same at any size.
"""

import glob
import os
import re
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from minipdf import FONT, page, pdf, stream  # noqa: E402


def corpus_lines():
    lines = []
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "*", "*.md"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip().lstrip("#").strip()
                if line and not line.startswith("|"):
                    lines.append(line)
    return lines


def pdf_escape(s):
    s = s.encode("cp1252", "replace")
    return s.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def wrap(line, width=95):
    out = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        cut = cut if cut > 0 else width
        out.append(line[:cut])
        line = line[cut:].lstrip()
    out.append(line)
    return out


def large_pdf(path, pages=1000, per_page=46):
    text = [w for line in corpus_lines() for w in wrap(line)]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None, FONT]
    kids = []
    for n in range(pages):
        page_id = len(objects) + 1
        kids.append(b"%d 0 R" % page_id)
        ops = [b"BT /F1 9 Tf 72 800 Td (Tildelingsbrev 2026 - Testdirektoratet) Tj ET",
               b"BT /F1 11 Tf 72 770 Td 15 TL"]
        for i in range(per_page):
            line = text[(n * per_page + i) % len(text)]
            ops.append(b"(" + pdf_escape(line) + b") Tj T*")
        ops.append(b"ET")
        ops.append(b"BT /F1 9 Tf 270 30 Td (Side %d av %d) Tj ET" % (n + 1, pages))
        data = zlib.compress(b"\n".join(ops))
        objects.append(page(2, page_id + 1))
        objects.append(stream(data, b"/Filter /FlateDecode"))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = pdf(objects)
    with open(path, "wb") as f:
        f.write(out)


def large_text(path, size=100 * 1000 * 1000, renumber=True):
    letters = []
    for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "*", "*.md"))):
        with open(p, encoding="utf-8") as f:
            letters.append(f.read())
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        while written < size:
            for letter in letters:
                n += 1
                chunk = letter
                if renumber:
                    chunk = re.sub(r"\b(TB|HN)(\d{4})-(\d+)", lambda m: f"{m[1]}{m[2]}-{n}{m[3]}", letter)
                chunk += "\n\n"
                f.write(chunk)
                written += len(chunk.encode("utf-8"))
                if written >= size:
                    break


def main():
    # An option where the folder goes ("--help") would become a folder of 1.4 GB.
    if any(a.startswith("-") for a in sys.argv[1:]):
        print(__doc__.strip())
        sys.exit(0 if sys.argv[1] in ("-h", "--help") else 2)
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/byrde-large"
    sizes = [int(s) for s in sys.argv[2:]] or [100, 200, 400]
    os.makedirs(out, exist_ok=True)
    large_pdf(os.path.join(out, "large-1000-pages.pdf"))
    for mb in sizes:
        large_text(os.path.join(out, f"large-{mb}mb.md"), mb * 1000 * 1000)
        large_text(os.path.join(out, f"large-{mb}mb-same.md"), mb * 1000 * 1000, renumber=False)


if __name__ == "__main__":
    main()
