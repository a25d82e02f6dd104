"""Tiny PDFs written byte by byte, for cases no PDF library will produce on request."""

from __future__ import annotations


def handmade_pdf(text: str | None = "Hello from a handmade PDF", *, encrypted: bool = False) -> bytes:
    """A one-page PDF showing `text` (no text at all when None).

    With `encrypted`, the trailer names a standard security handler whose user password
    is not empty, so a reader must ask for a password before it can open the file.
    """
    content = b"" if text is None else f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypted:
        owner_key = "7a" * 32
        user_key = "c4" * 32
        objects.append(
            f"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <{owner_key}> /U <{user_key}> >>".encode()
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if encrypted:
        file_id = b"<0123456789abcdef0123456789abcdef>"
        trailer += b" /Encrypt 6 0 R /ID [%s %s]" % (file_id, file_id)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)
