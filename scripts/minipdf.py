"""A minimal PDF writer (no dependencies) for the generated test inputs: the bad-input
fixtures (tests/fixtures/make-bad-pdfs.py) and the large inputs
(scripts/make-large-inputs.py). Objects are given as bytes; object 1 is the catalog."""

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def pdf(objects, broken_xref=False):
    """objects: list of bytes, object i+1. With broken_xref every xref entry and startxref
    point to the wrong place."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        if broken_xref:
            off = off * 7 + 13
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref + 999 if broken_xref else xref,
    )
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def page(parent, contents, resources=b"/Font << /F1 3 0 R >>"):
    """An A4 page object whose content stream is object `contents`."""
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
        b"/Resources << %s >> /Contents %d 0 R >>" % (parent, resources, contents)
    )


def one_page_pdf(content_stream):
    """A one-page PDF in Helvetica whose content is the stream object `content_stream`."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        page(2, 5),
        content_stream,
    ])
