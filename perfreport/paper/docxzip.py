"""The .docx package as a zip: byte-identical re-zipping and a strict check of every XML part."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

# Word and LibreOffice read the parts in any order, but a fixed order (content types first, as the
# OPC spec recommends) and fixed entry dates are what make two renders byte-identical: python-docx
# stamps every entry with the time of saving.
_FIRST = ("[Content_Types].xml", "_rels/.rels")
EARLIEST = dt.datetime(1980, 1, 1)  # the zip format cannot store earlier dates


def _entry_order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name) if name in _FIRST else len(_FIRST), name)


def normalise_package(data: bytes, when: dt.datetime) -> bytes:
    """Re-zip a .docx with entries in a fixed order, all stamped ``when``, with fixed attributes."""
    stamp = max(when.replace(tzinfo=None), EARLIEST)
    # (zip times have two-second resolution)
    date_time = (*stamp.timetuple()[:5], stamp.second - stamp.second % 2)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in sorted(source.namelist(), key=_entry_order):
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # otherwise the host OS is recorded, and Windows differs
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def xml_problems(data: bytes) -> list[str]:
    """Parse every XML part strictly (no recovery); each problem names the part."""
    from lxml import etree

    problems = []
    parser = etree.XMLParser(
        recover=False, resolve_entities=False, no_network=True, huge_tree=False
    )
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            try:
                etree.fromstring(package.read(name), parser)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name}: {exc}")
    return problems
