#!/usr/bin/env python3
"""Convert one of byrde's Markdown letters into a LibreOffice Flat ODT (.fodt).

Usage:
    python3 scripts/md2fodt.py LETTER.md [-o OUT.fodt] [--title TEXT]

Writes to stdout when -o is not given. Python 3 standard library only. The .fodt
is meant for `soffice --headless --convert-to pdf` (see scripts/make-pdfs.sh), so
that every corpus letter also exists as a PDF made by a real office tool.

What comes out:
- A4 pages, Liberation Sans 11 pt (metric twin of Arial), left aligned, no
  hyphenation. Fonts: Debian `fonts-liberation` (`apt-get install -y
  fonts-liberation`); without it LibreOffice falls back to another sans font
  (DejaVu Sans from `fonts-dejavu-core`, which libreoffice-writer-nogui pulls in).
- Running header on every page: the letter's title (the text of the first `# `
  heading, markdown stripped; else the first heading; else the file name), 8 pt,
  with a rule under it. Footer on every page: `Side N av M` (page-number and
  page-count fields), 8 pt, centred.
- `#`..`####` headings: bold, 16/13.5/12/11 pt (`#####`, `######` as level 4).
  The heading text is kept exactly, number included (`3.1 Mål`).
- Paragraphs: consecutive non-blank lines joined with one space. A line ending in
  two spaces or a backslash is a hard line break.
- `- `, `* `, `+ ` items: a literal `•`, a tab, hanging indent. Deeper indented
  items nest (up to 4 levels). Ordered items (`1. `, `2) `, `a) `, `iv) `, `(b) `)
  keep their marker text literally (no automatic numbering), marker + tab,
  hanging indent. Lines that follow an item without a blank line continue it.
- Pipe tables (`| a | b |` rows with a `|---|` separator row under the first):
  real tables, 0.5 pt borders on every cell, the first row bold. Without a
  separator row the rows are still a table, with no bold row. `<br>` in a cell
  is a line break.
- `**bold**`, `__bold__`, `*italic*`, `_italic_`, `***both***` become spans;
  `` `code` `` monospace; `[text](url)` and `![alt](src)` keep only the text;
  backslash escapes are honoured. Everything is XML-escaped.
- `> ` quotes: indented paragraphs. Fenced code: monospace lines.
- Skipped: YAML front matter (`---` ... `---`/`...` at the top), HTML comments,
  thematic breaks (`---`, `***`, `___` on their own line).
"""

import argparse
import os
import re
import sys
from xml.sax.saxutils import escape as _xml_escape

# ---------------------------------------------------------------- page geometry
PAGE_W, PAGE_H = 21.0, 29.7  # cm, A4
MARGIN_L = MARGIN_R = 2.5
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R  # 16 cm
FONT = "Liberation Sans"
MONO = "Liberation Mono"
MAX_LEVEL = 4

# ---------------------------------------------------------------- inline markup
_INLINE = re.compile(
    r"""
      (?P<code>`+)(?P<codetext>.+?)(?P=code)
    | \*\*\*(?P<bi>[^\s*](?:.*?[^\s*])?)\*\*\*
    | \*\*(?P<b>[^\s*](?:.*?[^\s])?)\*\*
    | (?<![\w_])__(?P<b2>[^\s_](?:.*?[^\s])?)__(?![\w_])
    | (?<![\w*\\])\*(?P<i>[^\s*](?:.*?[^\s*])?)\*(?![\w*])
    | (?<![\w_\\])_(?P<i2>[^\s_](?:.*?[^\s_])?)_(?![\w_])
    | !?\[(?P<lt>[^\]]*)\]\((?P<url>[^()\s]*(?:\([^()\s]*\))?[^()\s]*)(?:\s+"[^"]*")?\)
    | <(?P<auto>(?:https?://|mailto:)[^>\s]+)>
    | \\(?P<esc>[\\`*_{}\[\]()#+\-.!|<>~])
    | (?P<br><br\s*/?>)
    """,
    re.X | re.I,
)

LINE_BREAK = "\n"  # sentinel inside segment text for a hard line break


def parse_inline(s, bold=False, italic=False, code=False):
    """Markdown inline text -> list of (text, bold, italic, code) segments."""
    out = []
    pos = 0
    while pos < len(s):
        m = _INLINE.search(s, pos)
        if not m:
            break
        if m.start() > pos:
            out.append((s[pos:m.start()], bold, italic, code))
        g = m.groupdict()
        if g["code"] is not None:
            out.append((g["codetext"].strip(" ") or g["codetext"], bold, italic, True))
        elif g["bi"] is not None:
            out += parse_inline(g["bi"], True, True, code)
        elif g["b"] is not None or g["b2"] is not None:
            out += parse_inline(g["b"] if g["b"] is not None else g["b2"], True, italic, code)
        elif g["i"] is not None or g["i2"] is not None:
            out += parse_inline(g["i"] if g["i"] is not None else g["i2"], bold, True, code)
        elif g["lt"] is not None:
            out += parse_inline(g["lt"], bold, italic, code)
        elif g["auto"] is not None:
            out.append((g["auto"], bold, italic, code))
        elif g["esc"] is not None:
            out.append((g["esc"], bold, italic, code))
        elif g["br"] is not None:
            out.append((LINE_BREAK, bold, italic, code))
        pos = m.end()
    if pos < len(s):
        out.append((s[pos:], bold, italic, code))
    return out


def plain(s):
    """Markdown inline text with all markup removed (for the running header)."""
    t = "".join(seg[0] for seg in parse_inline(s)).replace(LINE_BREAK, " ")
    return re.sub(r"\s+", " ", t).strip()


_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(t):
    """Escape text for ODF character content; keep runs of spaces, tabs, breaks."""
    t = _BAD_XML_CHARS.sub("", t)
    parts = []
    for piece in re.split(r"(\n|\t| +)", t):
        if not piece:
            continue
        if piece == "\n":
            parts.append("<text:line-break/>")
        elif piece == "\t":
            parts.append("<text:tab/>")
        elif piece[0] == " ":
            # ODF collapses white space: a leading space or a run needs <text:s/>
            lead = 0 if parts and parts[-1][0] != "<" else 1
            if not lead:
                parts.append(" ")
            rest = len(piece) - (0 if lead else 1)
            if rest == 1:
                parts.append("<text:s/>")
            elif rest > 1:
                parts.append('<text:s text:c="%d"/>' % rest)
        else:
            parts.append(_xml_escape(piece))
    return "".join(parts)


def xml_attr(t):
    return _xml_escape(_BAD_XML_CHARS.sub("", t), {'"': "&quot;"})


def inline_xml(s, force_bold=False):
    """Markdown inline text -> ODF paragraph content with spans."""
    segs = parse_inline(s)
    merged = []
    for text, b, i, c in segs:
        b = b and not force_bold  # headings are bold already
        if merged and merged[-1][1:] == (b, i, c):
            merged[-1] = (merged[-1][0] + text, b, i, c)
        else:
            merged.append((text, b, i, c))
    out = []
    for text, b, i, c in merged:
        body = xml_text(text)
        if not body:
            continue
        style = "T_code" if c else {(True, True): "T_bi", (True, False): "T_b",
                                    (False, True): "T_i"}.get((b, i))
        out.append('<text:span text:style-name="%s">%s</text:span>' % (style, body)
                   if style else body)
    return "".join(out)


# ---------------------------------------------------------------- block parsing
RE_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
RE_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
RE_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
RE_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+(\S.*)$")
RE_ORDERED = re.compile(
    r"^([ \t]*)(\d{1,3}[.)]|[A-Za-z][)]|[ivxlcIVXLC]{1,6}[)]|\(\w{1,6}\))[ \t]+(\S.*)$")
RE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
RE_QUOTE = re.compile(r"^ {0,3}>[ ]?(.*)$")
RE_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def indent_width(ws):
    return len(ws.expandtabs(4))


def split_row(line):
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            cur.append("|")
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append("".join(cur).strip())
    return cells


def strip_front_matter(lines):
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and lines[i].strip() == "---":
        for j in range(i + 1, len(lines)):
            if lines[j].strip() in ("---", "..."):
                return lines[j + 1:]
    return lines


def parse_blocks(text):
    """Markdown text -> list of blocks:
    ("h", level, text) | ("p", text) | ("li", level, marker, text)
    | ("cont", level, text) | ("quote", text) | ("code", line)
    | ("table", header_row or None, rows, aligns)"""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = strip_front_matter(text.split("\n"))
    blocks = []
    para = []          # raw lines of the open paragraph
    item = None        # [level, marker, [lines]] of the open list item
    quote = []         # lines of the open quote
    list_indents = []  # indent stack of the current list
    last_was_list = False

    def join_lines(ls):
        out = ""
        for k, l in enumerate(ls):
            hard = l.endswith("  ") or l.endswith("\\")
            l = l.strip()
            if hard and l.endswith("\\"):
                l = l[:-1].rstrip()
            out += l
            if k < len(ls) - 1:
                out += LINE_BREAK if hard else " "
        return re.sub(r"[ \t]+", " ", out).strip()

    def flush():
        nonlocal para, item, quote
        if para:
            t = join_lines(para)
            if t:
                blocks.append(("p", t))
            para = []
        if item:
            blocks.append(("li", item[0], item[1], join_lines(item[2])))
            item = None
        if quote:
            t = join_lines(quote)
            if t:
                blocks.append(("quote", t))
            quote = []

    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()

        # fenced code: copy lines literally
        m = RE_FENCE.match(line)
        if m:
            flush()
            fence = m.group(1)
            i += 1
            while i < n and not lines[i].strip().startswith(fence):
                blocks.append(("code", lines[i].rstrip()))
                i += 1
            i += 1
            continue

        # HTML comments: skipped
        if stripped.startswith("<!--"):
            flush()
            while i < n and "-->" not in lines[i]:
                i += 1
            i += 1
            continue

        if not stripped:
            flush()
            i += 1
            continue

        # setext heading underline (only directly under a one-line paragraph)
        if para and len(para) == 1 and not item and RE_SETEXT.match(line):
            level = 1 if stripped.startswith("=") else 2
            blocks.append(("h", level, join_lines(para)))
            para = []
            list_indents, last_was_list = [], False
            i += 1
            continue

        m = RE_ATX.match(line)
        if m:
            flush()
            level = min(len(m.group(1)), MAX_LEVEL)
            blocks.append(("h", level, (m.group(2) or "").strip()))
            list_indents, last_was_list = [], False
            i += 1
            continue

        if RE_HR.match(line):
            flush()
            i += 1
            continue

        # pipe table: a run of lines with '|', either starting with '|' or
        # followed by a separator row
        is_table = stripped.startswith("|") or (
            "|" in stripped and i + 1 < n and RE_TABLE_SEP.match(lines[i + 1])
            and "|" in lines[i + 1])
        if is_table:
            flush()
            rows_raw = []
            while i < n and lines[i].strip() and (
                    lines[i].strip().startswith("|") or "|" in lines[i]):
                rows_raw.append(lines[i])
                i += 1
            header = None
            rows = []
            aligns = []
            for k, r in enumerate(rows_raw):
                if RE_TABLE_SEP.match(r) and "-" in r:
                    if k == 1 and header is None and rows:
                        header = rows.pop()
                        for c in split_row(r):
                            aligns.append("center" if c.startswith(":") and c.endswith(":")
                                          else "end" if c.endswith(":") else "start")
                    continue
                rows.append(split_row(r))
            blocks.append(("table", header, rows, aligns))
            list_indents, last_was_list = [], False
            continue

        m = RE_QUOTE.match(line)
        if m and not item:
            if para:
                flush()
            quote.append(m.group(1))
            i += 1
            continue

        mb = RE_BULLET.match(line)
        mo = None if mb else RE_ORDERED.match(line)
        if mb or mo:
            flush()
            ind = indent_width((mb or mo).group(1))
            if not last_was_list:
                list_indents = []
            while list_indents and list_indents[-1] > ind:
                list_indents.pop()
            if not list_indents or list_indents[-1] < ind:
                list_indents.append(ind)
            level = min(len(list_indents), MAX_LEVEL)
            if mb:
                item = [level, "\u2022", [mb.group(2)]]
            else:
                item = [level, mo.group(2), [mo.group(3)]]
            last_was_list = True
            i += 1
            continue

        if item:  # lazy continuation of a list item
            item[2].append(line)
            i += 1
            continue

        if quote:
            quote.append(line)
            i += 1
            continue

        # an indented paragraph right after a list belongs to the last item
        if not para and last_was_list and indent_width(line[: len(line) - len(line.lstrip())]) >= 2:
            level = min(max(len(list_indents), 1), MAX_LEVEL)
            cont = [line]
            i += 1
            while i < n and lines[i].strip() and not (
                    RE_BULLET.match(lines[i]) or RE_ORDERED.match(lines[i])
                    or RE_ATX.match(lines[i]) or lines[i].strip().startswith("|")):
                cont.append(lines[i])
                i += 1
            blocks.append(("cont", level, join_lines(cont)))
            continue

        if not para:
            last_was_list = False
            list_indents = []
        para.append(line)
        i += 1

    flush()
    return blocks


def find_title(blocks, fallback):
    for b in blocks:
        if b[0] == "h" and b[1] == 1 and plain(b[2]):
            return plain(b[2])
    for b in blocks:
        if b[0] == "h" and plain(b[2]):
            return plain(b[2])
    return fallback


# ---------------------------------------------------------------- ODF output
HEAD_SIZES = {1: "16pt", 2: "13.5pt", 3: "12pt", 4: "11pt"}
BULLET_STEP = 0.6     # cm per nesting level
BULLET_HANG = 0.6     # cm from bullet to text
NUMBER_HANG = 0.85    # cm from marker to text
LIST_BASE = 0.25      # cm, indent of a level-1 marker


def list_style_xml():
    out = []
    for lvl in range(1, MAX_LEVEL + 1):
        base = LIST_BASE + (lvl - 1) * BULLET_STEP
        for name, hang in (("Bullet", BULLET_HANG), ("Number", NUMBER_HANG)):
            out.append(
                '<style:style style:name="List_20_%s_20_%d" style:display-name="List %s %d" '
                'style:family="paragraph" style:parent-style-name="List_20_Base" style:class="list">'
                '<style:paragraph-properties fo:margin-left="%.2fcm" fo:text-indent="-%.2fcm" '
                'style:auto-text-indent="false"><style:tab-stops>'
                '<style:tab-stop style:position="0cm"/></style:tab-stops>'
                '</style:paragraph-properties></style:style>'
                % (name, lvl, name, lvl, base + hang, hang))
        out.append(
            '<style:style style:name="List_20_Cont_20_%d" style:display-name="List Cont %d" '
            'style:family="paragraph" style:parent-style-name="List_20_Base" style:class="list">'
            '<style:paragraph-properties fo:margin-left="%.2fcm" fo:text-indent="0cm" '
            'style:auto-text-indent="false"/></style:style>'
            % (lvl, lvl, base + BULLET_HANG))
    return "\n".join(out)


STYLES = """
<office:font-face-decls>
 <style:font-face style:name="{font}" svg:font-family="&apos;{font}&apos;" style:font-family-generic="swiss" style:font-pitch="variable"/>
 <style:font-face style:name="{mono}" svg:font-family="&apos;{mono}&apos;" style:font-family-generic="modern" style:font-pitch="fixed"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:hyphenation-ladder-count="no-limit" style:text-autospace="ideograph-alpha" style:punctuation-wrap="hanging" style:line-break="strict" style:tab-stop-distance="1.25cm" style:writing-mode="lr-tb"/>
  <style:text-properties style:font-name="{font}" fo:font-size="11pt" fo:language="nb" fo:country="NO" style:font-name-asian="{font}" style:font-name-complex="{font}" fo:hyphenate="false" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="2" style:letter-kerning="true"/>
 </style:default-style>
 <style:default-style style:family="table">
  <style:table-properties table:border-model="collapsing"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text">
  <style:paragraph-properties fo:text-align="start" style:justify-single-word="false" fo:orphans="2" fo:widows="2"/>
  <style:text-properties fo:hyphenate="false"/>
 </style:style>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm" fo:line-height="115%"/>
 </style:style>
 <style:style style:name="List_20_Base" style:display-name="List Base" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="list">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.1cm"/>
 </style:style>
 {lists}
 <style:style style:name="Quotations" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="html">
  <style:paragraph-properties fo:margin-left="1cm" fo:margin-right="1cm" fo:text-indent="0cm" style:auto-text-indent="false"/>
 </style:style>
 <style:style style:name="Preformatted_20_Text" style:display-name="Preformatted Text" style:family="paragraph" style:parent-style-name="Standard" style:class="html">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm"/>
  <style:text-properties style:font-name="{mono}" fo:font-size="9.5pt"/>
 </style:style>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text">
  <style:paragraph-properties fo:margin-top="0.45cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
  <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/>
 </style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="1" style:class="text">
  <style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0.3cm"/>
  <style:text-properties fo:font-size="{h1}"/>
 </style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="2" style:class="text">
  <style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.2cm"/>
  <style:text-properties fo:font-size="{h2}"/>
 </style:style>
 <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="3" style:class="text">
  <style:text-properties fo:font-size="{h3}"/>
 </style:style>
 <style:style style:name="Heading_20_4" style:display-name="Heading 4" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="4" style:class="text">
  <style:paragraph-properties fo:margin-top="0.35cm" fo:margin-bottom="0.15cm"/>
  <style:text-properties fo:font-size="{h4}"/>
 </style:style>
 <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:padding-bottom="0.1cm" fo:border-bottom="0.5pt solid #808080" fo:border-top="none" fo:border-left="none" fo:border-right="none"/>
  <style:text-properties fo:font-size="8pt" fo:color="#404040"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:text-align="center" style:justify-single-word="false"/>
  <style:text-properties fo:font-size="8pt" fo:color="#404040"/>
 </style:style>
 <style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm"/>
  <style:text-properties fo:font-size="10pt"/>
 </style:style>
 <style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
  <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/>
 </style:style>
 <style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text">
  <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/>
 </style:style>
 <style:style style:name="Emphasis" style:family="text">
  <style:text-properties fo:font-style="italic" style:font-style-asian="italic" style:font-style-complex="italic"/>
 </style:style>
</office:styles>
"""


def table_xml(idx, header, rows, aligns=()):
    ncols = max([len(r) for r in rows] + [len(header) if header else 0] + [1])
    allrows = ([header] if header else []) + rows
    allrows = [r + [""] * (ncols - len(r)) for r in allrows]
    # column widths: every column at least as wide as its longest word, the
    # rest of the text width shared in proportion to each column's longest cell
    pad = 0.5  # cm: cell padding and borders
    mins, nats = [], []
    for c in range(ncols):
        word = nat = 0.0
        for r, row in enumerate(allrows):
            cw = 0.215 if header and r == 0 else 0.195  # cm per character, 10 pt
            cell = "".join(seg[0] for seg in parse_inline(row[c]))
            for part in cell.split(LINE_BREAK):
                nat = max(nat, len(part) * cw)
                word = max([word] + [len(w) * cw for w in part.split()])
        mins.append(max(word, 0.6) + pad)
        nats.append(max(nat, 0.6) + pad)
    if sum(mins) >= TEXT_W:
        widths = [TEXT_W * m / sum(mins) for m in mins]
    else:
        extra = TEXT_W - sum(mins)
        want = [max(nt - m, 0.0) for nt, m in zip(nats, mins)]
        if sum(want) > extra:
            widths = [m + extra * w / sum(want) for m, w in zip(mins, want)]
        else:  # everything fits on one line: spread the spare width evenly
            spare = (extra - sum(want)) / ncols
            widths = [nt + spare for nt in nats]
    name = "Tabell%d" % idx
    # small tables stay on one page; rows are never split across pages
    auto = ['<style:style style:name="%s" style:family="table">'
            '<style:table-properties style:width="%.3fcm" table:align="left" '
            'fo:margin-top="0.1cm" fo:margin-bottom="0.35cm" '
            'style:may-break-between-rows="%s"/></style:style>'
            % (name, TEXT_W, "true" if len(allrows) > 15 else "false")]
    for c, w in enumerate(widths):
        auto.append('<style:style style:name="%s.C%d" style:family="table-column">'
                    '<style:table-column-properties style:column-width="%.3fcm"/>'
                    '</style:style>' % (name, c, w))
    body = ['<table:table table:name="%s" table:style-name="%s">' % (name, name)]
    for c in range(ncols):
        body.append('<table:table-column table:style-name="%s.C%d"/>' % (name, c))
    for r, row in enumerate(allrows):
        pstyle = "Table_20_Heading" if header and r == 0 else "Table_20_Contents"
        body.append('<table:table-row table:style-name="Rad">')
        for c, cell in enumerate(row):
            align = aligns[c] if c < len(aligns) else "start"
            body.append('<table:table-cell table:style-name="Celle" office:value-type="string">'
                        '<text:p text:style-name="%s">%s</text:p></table:table-cell>'
                        % (pstyle if align == "start" else "%s_%s" % (pstyle, align),
                           inline_xml(cell, force_bold=(pstyle == "Table_20_Heading"))))
        body.append("</table:table-row>")
    body.append("</table:table>")
    return "\n".join(auto), "\n".join(body)


def to_fodt(md_text, title_fallback="Dokument", title=None):
    blocks = parse_blocks(md_text)
    title = title or find_title(blocks, title_fallback)
    auto_styles = [
        '<style:style style:name="Celle" style:family="table-cell">'
        '<style:table-cell-properties fo:padding-left="0.19cm" fo:padding-right="0.19cm" '
        'fo:padding-top="0.06cm" fo:padding-bottom="0.06cm" fo:border="0.5pt solid #000000"/>'
        '</style:style>',
        '<style:style style:name="Rad" style:family="table-row">'
        '<style:table-row-properties fo:keep-together="always"/></style:style>',
        '<style:style style:name="T_b" style:family="text"><style:text-properties '
        'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/>'
        '</style:style>',
        '<style:style style:name="T_i" style:family="text"><style:text-properties '
        'fo:font-style="italic" style:font-style-asian="italic" style:font-style-complex="italic"/>'
        '</style:style>',
        '<style:style style:name="T_bi" style:family="text"><style:text-properties '
        'fo:font-weight="bold" fo:font-style="italic" style:font-weight-asian="bold" '
        'style:font-style-asian="italic" style:font-weight-complex="bold" '
        'style:font-style-complex="italic"/></style:style>',
        '<style:style style:name="T_code" style:family="text"><style:text-properties '
        'style:font-name="%s" fo:font-size="10pt"/></style:style>' % MONO,
    ]
    for ps in ("Table_20_Contents", "Table_20_Heading"):
        for align in ("end", "center"):
            auto_styles.append(
                '<style:style style:name="%s_%s" style:family="paragraph" '
                'style:parent-style-name="%s"><style:paragraph-properties '
                'fo:text-align="%s" style:justify-single-word="false"/></style:style>'
                % (ps, align, ps, align))
    for kind in ("Bullet", "Number"):
        for lvl in range(1, MAX_LEVEL + 1):
            auto_styles.append(
                '<style:style style:name="Last_%s_%d" style:family="paragraph" '
                'style:parent-style-name="List_20_%s_20_%d"><style:paragraph-properties '
                'fo:margin-bottom="0.25cm"/></style:style>' % (kind, lvl, kind, lvl))

    body = []
    tables = 0
    for k, b in enumerate(blocks):
        kind = b[0]
        if kind == "h":
            level, text = b[1], b[2]
            body.append('<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>'
                        % (level, level, inline_xml(text, force_bold=True)))
        elif kind == "p":
            body.append('<text:p text:style-name="Text_20_body">%s</text:p>' % inline_xml(b[1]))
        elif kind == "li":
            level, marker, text = b[1], b[2], b[3]
            lk = "Bullet" if marker == "\u2022" else "Number"
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            last = not nxt or nxt[0] not in ("li", "cont")
            style = "Last_%s_%d" % (lk, level) if last else "List_20_%s_20_%d" % (lk, level)
            body.append('<text:p text:style-name="%s">%s<text:tab/>%s</text:p>'
                        % (style, xml_text(marker), inline_xml(text)))
        elif kind == "cont":
            body.append('<text:p text:style-name="List_20_Cont_20_%d">%s</text:p>'
                        % (b[1], inline_xml(b[2])))
        elif kind == "quote":
            body.append('<text:p text:style-name="Quotations">%s</text:p>' % inline_xml(b[1]))
        elif kind == "code":
            body.append('<text:p text:style-name="Preformatted_20_Text">%s</text:p>'
                        % xml_text(b[1]))
        elif kind == "table":
            tables += 1
            a, t = table_xml(tables, b[1], b[2], b[3])
            auto_styles.append(a)
            body.append(t)
    if not body:
        body.append('<text:p text:style-name="Text_20_body"/>')

    page = (
        '<style:page-layout style:name="Side">'
        '<style:page-layout-properties fo:page-width="%.1fcm" fo:page-height="%.1fcm" '
        'style:num-format="1" style:print-orientation="portrait" fo:margin-top="1.2cm" '
        'fo:margin-bottom="1.2cm" fo:margin-left="%.1fcm" fo:margin-right="%.1fcm" '
        'style:writing-mode="lr-tb"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0.6cm" '
        'fo:margin-bottom="0.6cm" style:dynamic-spacing="false"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" '
        'fo:margin-top="0.6cm" style:dynamic-spacing="false"/></style:footer-style>'
        '</style:page-layout>' % (PAGE_W, PAGE_H, MARGIN_L, MARGIN_R))

    doc = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>
 <dc:title>{title}</dc:title>
 <dc:language>nb-NO</dc:language>
</office:meta>
{styles}
<office:automatic-styles>
{page}
{auto}
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="Side">
  <style:header><text:p text:style-name="Header">{header}</text:p></style:header>
  <style:footer><text:p text:style-name="Footer">Side <text:page-number text:select-page="current">1</text:page-number> av <text:page-count>1</text:page-count></text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body>
<office:text>
{body}
</office:text>
</office:body>
</office:document>
""".format(
        title=xml_text(title),
        styles=STYLES.format(font=FONT, mono=MONO, lists=list_style_xml(), h1=HEAD_SIZES[1],
                             h2=HEAD_SIZES[2], h3=HEAD_SIZES[3], h4=HEAD_SIZES[4]),
        page=page,
        auto="\n".join(auto_styles),
        header=xml_text(title),
        body="\n".join(body),
    )
    return doc


def main(argv=None):
    ap = argparse.ArgumentParser(description="Markdown letter -> LibreOffice Flat ODT (.fodt)")
    ap.add_argument("input", help="Markdown file ('-' for stdin)")
    ap.add_argument("-o", "--output", help="output .fodt (default: stdout)")
    ap.add_argument("--title", help="running header text (default: first '# ' heading)")
    args = ap.parse_args(argv)
    if args.input == "-":
        src, fallback = sys.stdin.buffer.read(), "Dokument"
    else:
        with open(args.input, "rb") as f:
            src = f.read()
        fallback = os.path.splitext(os.path.basename(args.input))[0]
    try:
        text = src.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = src.decode("cp1252", errors="replace")
    out = to_fodt(text, fallback, args.title)
    if args.output:
        tmp = args.output + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(out)
        os.replace(tmp, args.output)
    else:
        sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
