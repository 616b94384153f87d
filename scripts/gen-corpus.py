#!/usr/bin/env python3
"""Generate a large corpus of steering letters from the sample corpus, for benchmarks.

    scripts/gen-corpus.py N OUTDIR [--seed S] [--corpus DIR]

Writes N Markdown letters under OUTDIR/<series>/, each a variant of the sample letters in
corpus/: chapters reordered, the letter resized (chapters dropped or repeated), the agency,
ministry and year renamed, and chapters of bokmål and nynorsk letters mixed. The output is
for measuring speed and memory, not accuracy (no expected counts), and is never committed:
generate it into a temporary folder. The same N and seed give the same files.
"""

import argparse
import os
import random
import re
import sys

AGENCIES = [
    ("Arbeids- og velferdsdirektoratet", "Arbeids- og inkluderingsdepartementet"),
    ("Helsedirektoratet", "Helse- og omsorgsdepartementet"),
    ("Språkrådet", "Kultur- og likestillingsdepartementet"),
    ("Utlendingsdirektoratet", "Justis- og beredskapsdepartementet"),
    ("Statens vegvesen", "Samferdselsdepartementet"),
    ("Miljødirektoratet", "Klima- og miljødepartementet"),
    ("Fiskeridirektoratet", "Nærings- og fiskeridepartementet"),
    ("Husbanken", "Kommunal- og distriktsdepartementet"),
    ("Skatteetaten", "Finansdepartementet"),
    ("Utdanningsdirektoratet", "Kunnskapsdepartementet"),
    ("Statsforvaltaren i Vestland", "Kommunal- og distriktsdepartementet"),
    ("Nav Innlandet", "Arbeids- og velferdsdirektoratet"),
]


def read_letters(corpus):
    """Every sample letter as (series, language, preamble, title, chapters)."""
    letters = []
    for series in sorted(os.listdir(corpus)):
        folder = os.path.join(corpus, series)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            lines = text.split("\n")
            title_at = next((i for i, l in enumerate(lines) if l.startswith("# ")), None)
            if title_at is None:
                continue
            preamble = lines[:title_at]
            title = lines[title_at]
            chapters, current = [], None
            for line in lines[title_at + 1 :]:
                if line.startswith("## "):
                    current = [line]
                    chapters.append(current)
                elif current is not None:
                    current.append(line)
            nynorsk = len(re.findall(r"\b(ikkje|dei|frå|eit|korleis)\b", text))
            bokmaal = len(re.findall(r"\b(ikke|de|fra|et|hvordan)\b", text))
            language = "nn" if nynorsk > bokmaal else "nb"
            letters.append((series, language, preamble, title, chapters))
    return letters


def renumber(chapters):
    """Give the chapters the numbers 1, 2, 3 ... in their new order (sub-headings too)."""
    out = []
    for n, chapter in enumerate(chapters, start=1):
        m = re.match(r"## (\d+)\.? ", chapter[0])
        old = m.group(1) if m else None
        new = []
        for line in chapter:
            if old is not None:
                line = re.sub(r"^(#{2,6} )" + old + r"(?=[. ])", lambda x: x.group(1) + str(n), line)
            new.append(line)
        out.append(new)
    return out


def variant(letters, k, rng):
    series, language, preamble, title, chapters = letters[k % len(letters)]
    chapters = [list(c) for c in chapters]
    # Mix: some chapters from another letter, often one in the other written standard.
    other = rng.choice(letters)
    if rng.random() < 0.5:
        others = [l for l in letters if l[1] != language] or letters
        other = rng.choice(others)
    for _ in range(rng.randint(0, 3)):
        if chapters and other[4]:
            chapters[rng.randrange(len(chapters))] = list(rng.choice(other[4]))
    # Reorder: the introduction stays first, the rest is shuffled.
    head, rest = chapters[:1], chapters[1:]
    rng.shuffle(rest)
    chapters = head + rest
    # Resize: from half the letter to three times it.
    scale = rng.choice([0.5, 0.75, 1, 1, 1, 1.5, 2, 3])
    target = max(1, round(len(chapters) * scale))
    while len(chapters) > target:
        chapters.pop(rng.randrange(1, len(chapters)) if len(chapters) > 1 else 0)
    while len(chapters) < target:
        chapters.append(list(rng.choice(chapters)))
    chapters = renumber(chapters)
    # Rename: another agency, ministry and year.
    agency, ministry = AGENCIES[rng.randrange(len(AGENCIES))]
    year = rng.randint(2010, 2027)
    text = "\n".join(preamble + [title] + [l for c in chapters for l in c])
    for old_agency, old_ministry in AGENCIES:
        text = text.replace(old_ministry, ministry).replace(old_agency, agency)
    text = re.sub(r"\b20(2[3-6])\b", lambda m: str(year + int(m.group(1)) - 26), text)
    kind = re.search(r"(tildelingsbrev|oppdragsdokument|md-brev|supplerende)", title.lower().replace("mål- og disponeringsbrev", "md-brev"))
    kind = kind.group(1) if kind else "brev"
    return series, f"{year}-{kind}-{k:05d}.md", text + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of letters")
    ap.add_argument("outdir", help="folder to write into (created)")
    ap.add_argument("--seed", type=int, default=6)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(here), "corpus"))
    a = ap.parse_args()
    letters = read_letters(a.corpus)
    if not letters:
        sys.exit(f"gen-corpus: no letters in {a.corpus}")
    rng = random.Random(a.seed)
    total = 0
    for k in range(a.n):
        series, name, text = variant(letters, k, rng)
        folder = os.path.join(a.outdir, series)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode("utf-8"))
    print(f"gen-corpus: {a.n} letters, {total / 1e6:.1f} MB, in {a.outdir}")


if __name__ == "__main__":
    main()
