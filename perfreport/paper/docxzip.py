"""The .docx package as a zip: byte-identical re-zipping and a strict check of every XML part."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from perfreport.paper.xmlpieces import Deflated

# Word and LibreOffice read the parts in any order, but a fixed order (content types first, as the
# OPC spec recommends) and fixed entry dates are what make two renders byte-identical: python-docx
# stamps every entry with the time of saving.
_FIRST = ("[Content_Types].xml", "_rels/.rels")
EARLIEST = dt.datetime(1980, 1, 1)  # the zip format cannot store earlier dates
_MAIN = object()  # stands for the main document part's XML given in pieces
# A small picture is stored as it is, not deflated: a PNG or JPEG is compressed already, and
# deflating a sparkline's ~600-byte PNG again saved ~10% of it for ~35 us of zlib's set-up: for a
# 100x paper's ~9,200 sparklines, ~0.3 s of CPU for ~0.3 MB (3%) of the .docx. A larger chart
# still gains 5-15% and costs zlib time in proportion: it is deflated as before.
_PICTURES = (".png", ".jpg", ".jpeg")
STORED_BELOW = 4096  # bytes


def _entry_order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name) if name in _FIRST else len(_FIRST), name)


def _entry(name: str, when: dt.datetime, size: int | None = None) -> zipfile.ZipInfo:
    """A zip entry stamped ``when``, with fixed attributes, for ``size`` bytes when known."""
    stamp = max(when.replace(tzinfo=None), EARLIEST)
    # (zip times have two-second resolution)
    date_time = (*stamp.timetuple()[:5], stamp.second - stamp.second % 2)
    info = zipfile.ZipInfo(name, date_time)
    stored = size is not None and size < STORED_BELOW and name.lower().endswith(_PICTURES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 0  # otherwise the host OS is recorded, and Windows differs
    info.external_attr = 0
    return info


def normalise_package(data: bytes, when: dt.datetime) -> bytes:
    """Re-zip a .docx with entries in a fixed order, all stamped ``when``, with fixed attributes
    (small pictures stored, the rest deflated at level 6)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in sorted(source.namelist(), key=_entry_order):
            content = source.read(name)
            target.writestr(_entry(name, when, len(content)), content, compresslevel=6)
    return out.getvalue()


def package_parts(package: Any) -> list[Any]:
    """``package.parts`` (python-docx's depth-first walk of the relationships), in the same
    order: python-docx looks each part up in a list of those seen, which for a paper with
    thousands of pictures is ~0.5 s a walk."""
    seen: set[int] = set()
    parts: list[Any] = []

    def walk(source: Any) -> None:
        for rel in source.rels.values():
            if rel.is_external:
                continue
            part = rel.target_part
            if id(part) in seen:
                continue
            seen.add(id(part))
            parts.append(part)
            walk(part)

    walk(package)
    return parts


def write_package(
    document: Any,
    when: dt.datetime,
    main: Iterable[bytes] | None = None,
    deflated: Deflated | None = None,
) -> bytes:
    """The python-docx ``document`` as a .docx, byte for byte what saving it and then
    :func:`normalise_package` give, in one pass: each part is compressed once, and an XML part's
    tree is serialised as a stream into its entry (a 100x paper's body is ~50 MB of XML).
    ``main``, when given, is the main document part's XML in pieces (paper.bodystream);
    ``deflated``, when given, is that XML deflated already as its entry holds it."""
    from docx.opc.part import XmlPart
    from docx.opc.pkgwriter import _ContentTypesItem
    from lxml import etree

    package = document.part.package
    parts = package_parts(package)
    for part in parts:
        part.before_marshal()
    # As python-docx's PackageWriter: content types, package relationships, then each part and
    # its relationships.
    entries: dict[str, Any] = {
        "[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob,
        "_rels/.rels": rels_xml(package.rels, "/"),
    }
    for part in parts:
        streamed = type(part).blob is XmlPart.blob  # serialize_part_xml(part._element)
        if main is not None and part is document.part:
            entries[part.partname.membername] = _MAIN
        else:
            entries[part.partname.membername] = part.element if streamed else part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = rels_xml(part.rels, part.partname.baseURI)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(entries, key=_entry_order):
            content = entries[name]
            if isinstance(content, bytes):
                target.writestr(_entry(name, when, len(content)), content, compresslevel=6)
                continue
            info = _entry(name, when)
            if content is _MAIN:
                with target.open(info, "w") as stream:
                    if deflated is None or not deflated.written_into(stream):
                        for piece in main or ():
                            stream.write(piece)
                continue
            # As serialize_part_xml(element), written as it is made; no level given is zlib's
            # default, which is level 6.
            with target.open(info, "w") as stream:
                etree.ElementTree(content).write(stream, encoding="UTF-8", standalone=True)
    return out.getvalue()


_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


def rels_xml(rels: Any, base: str) -> bytes:
    """python-docx's ``rels.xml`` for the relationships ``rels`` of a part in the folder
    ``base`` (the package's: "/"), the same bytes. python-docx parses each Relationship element
    from a string and works out each target's relative path (posixpath.relpath): for a 100x
    paper's ~9,200 pictures, 0.11 s; here the elements are made and the path is worked out once
    a folder (0.05 s)."""
    from lxml import etree

    tag = f"{{{_RELATIONSHIPS}}}"
    root = etree.Element(tag + "Relationships", nsmap={None: _RELATIONSHIPS})
    folders: dict[str, str] = {}  # a target's folder as its relative path begins
    for rel in rels.values():
        attributes = {"Id": rel.rId, "Type": rel.reltype}
        if rel.is_external:
            attributes |= {"Target": rel.target_ref, "TargetMode": "External"}
        else:
            name = rel.target_part.partname
            folder, leaf = name.rsplit("/", 1)
            if folder not in folders:
                folders[folder] = name.relative_ref(base)[: -len(leaf)]
            attributes["Target"] = folders[folder] + leaf
        etree.SubElement(root, tag + "Relationship", attributes)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


@dataclass(frozen=True)
class ReadPart:
    """The main document part read as :func:`xml_problems` reads it, from the pieces it was
    zipped from: its name, size and CRC-32, whether it parsed strictly, and which of the
    required strings its body's paragraphs lack (``missing_strings``)."""

    name: str
    size: int
    crc: int
    parsed: bool
    missing: tuple[str, ...] = ()

    def matches(self, entry: tuple[str, int, int] | None) -> bool:
        """Whether it parsed and is the part ``entry`` (:func:`main_entry`) names: the same bytes."""
        return self.parsed and (self.name, self.size, self.crc) == entry


def read_main_part(
    name: str,
    pieces: Iterable[bytes],
    wanted: list[str],
    missing: tuple[str, ...] | None = None,
) -> ReadPart:
    """Parse the main document part ``name`` from its XML ``pieces`` as :func:`xml_problems`
    parses it in the .docx, and look for the ``wanted`` strings in its body's paragraphs.

    ``missing``: those of ``wanted`` its paragraphs lack, found by the streamed body's writer in
    the elements it serialised into these pieces (bodystream.BodyWriter): the pieces are then
    parsed strictly without building a tree (0.25 s instead of ~1.4 s for a 100x paper's 58 MB
    part). What only a tree's parse refuses (namespaces, depth) the writer's own strict parse
    refused already: paper.bodystream says why.
    """
    from lxml import etree

    stream = _Stream(pieces)
    found: list[str] = []
    try:
        if missing is None:
            _read_part(stream, found)
        else:
            _parse_through(stream)
        parsed = not stream.read(1)  # (all of it was parsed)
    except etree.XMLSyntaxError:
        parsed = False
    if missing is None:
        missing = tuple(missing_strings(found, wanted)) if parsed else ()
    return ReadPart(name, stream.size, stream.crc, parsed, missing if parsed else ())


class _Nothing:
    """A parser's target that builds nothing."""

    def close(self) -> None:
        return None


def _parse_through(stream: Any) -> None:
    """Parse ``stream`` strictly, building nothing: raises XMLSyntaxError where it is not
    well-formed (or passes libxml2's limits on a text, name or attribute)."""
    from lxml import etree

    parser = etree.XMLParser(target=_Nothing(), **_STRICT)
    while data := stream.read(1 << 20):
        parser.feed(data)
    parser.close()


def missing_strings(paragraphs: list[str], wanted: list[str]) -> list[str]:
    """Those of ``wanted`` that no paragraph holds (nor the paragraphs joined by new lines)."""
    whole = set(paragraphs)  # refs and values fill their cells: a set lookup each, linear
    text: str | None = None
    missing = []
    for string in wanted:
        if string in whole:
            continue
        if text is None:
            text = "\n".join(paragraphs)
        if string not in text:
            missing.append(string)
    return missing


def holds_read_part(data: bytes, read: ReadPart) -> bool:
    """Whether the .docx ``data`` holds, as its main document part, the bytes ``read`` parsed."""
    return read.matches(main_entry(data))


def open_package(data: bytes) -> zipfile.ZipFile:
    """The .docx ``data`` opened, for :func:`main_entry` and :func:`xml_problems` to share (a
    100x paper's central directory, ~9,200 entries, took ~0.07 s each time it was read)."""
    return zipfile.ZipFile(io.BytesIO(data))


def main_entry(data: bytes, opened: zipfile.ZipFile | None = None) -> tuple[str, int, int] | None:
    """The main document part of the .docx ``data`` (``opened``: :func:`open_package`'s): its
    name (from the package relationships), size and CRC-32, once it is decompressed through
    (zipfile checks the CRC-32 of what it holds); None when there is none."""
    with _package(data, opened) as package:
        name = _main_part(package)
        if name is None or name not in package.NameToInfo:
            return None
        info = package.getinfo(name)
        with package.open(name) as stream:
            while stream.read(1 << 20):
                pass
    return name, info.file_size, info.CRC


class _Stream:
    """Bytes given in pieces, read as a file, counted and CRC-summed as they are read."""

    def __init__(self, pieces: Iterable[bytes]):
        self._pieces: Iterator[bytes] = iter(pieces)
        self._held = memoryview(b"")
        self.size = 0
        self.crc = 0

    def read(self, size: int = -1) -> bytes:
        while not self._held:
            piece = next(self._pieces, None)
            if piece is None:
                return b""
            self._held = memoryview(piece)
        size = len(self._held) if size is None or size < 0 else size
        data = bytes(self._held[:size])
        self._held = self._held[size:]
        self.size += len(data)
        self.crc = zlib.crc32(data, self.crc)
        return data


def xml_problems(
    data: bytes,
    texts: list[str] | None = None,
    skip: str | None = None,
    opened: zipfile.ZipFile | None = None,
) -> list[str]:
    """Parse every XML part strictly (no recovery); each problem names the part. With ``texts``,
    the text of each paragraph in the main document's body is added to it, in document order.

    Each part is read as a stream and forgotten as it goes: a 100x paper's document.xml is
    ~50 MB, and its whole tree took ~450 MB more than the paper itself. ``skip``: a part
    read already (holds_read_part), not parsed again. ``opened``: :func:`open_package`'s.
    """
    from lxml import etree

    problems = []
    with _package(data, opened) as package:
        main = _main_part(package) if texts is not None else None
        for name in package.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")) or name == skip:
                continue
            try:
                with package.open(name) as stream:
                    _read_part(stream, texts if name == main else None)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name}: {exc}")
    return problems


def _package(data: bytes, opened: zipfile.ZipFile | None) -> Any:
    """``opened`` as it is (its opener closes it), or ``data`` opened and closed after."""
    import contextlib

    return contextlib.nullcontext(opened) if opened is not None else open_package(data)


_STRICT = {"recover": False, "resolve_entities": False, "no_network": True, "huge_tree": False}
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TR, _BODY, _T = _W + "p", _W + "tr", _W + "body", _W + "t"


def _main_part(package: zipfile.ZipFile) -> str | None:
    """The main document part's name, from the package relationships (as python-docx finds it)."""
    from lxml import etree

    try:
        rels = etree.fromstring(package.read("_rels/.rels"), etree.XMLParser(**_STRICT))
    except (KeyError, etree.XMLSyntaxError):
        return None
    for rel in rels:
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            return str(rel.get("Target", "")).lstrip("/")
    return None


def paragraph_texts(element: Any) -> list[str]:
    """The texts of the w:p elements in ``element``, in document order, as the check reads
    them (:func:`_read_part`): each its w:t elements' texts (nested paragraphs' too), joined."""
    return ["".join([t.text or "" for t in p.iter(_T)]) for p in element.iter(_P)]


def _read_part(stream: Any, texts: list[str] | None) -> None:
    """Parse one part; with ``texts``, collect its body's paragraph texts on the way."""
    from lxml import etree

    if texts is None:  # a part other than the main one: small, parsed whole
        etree.fromstring(stream.read(), etree.XMLParser(**_STRICT))
        return
    opened: list[int] = []  # the paragraphs being read, by their place in texts (-1: not body)
    bodies: list[bool] = []  # the w:body elements open: whether each is the root's child
    in_body = 0  # how many of those are (a paragraph is the body's when one is)
    # Events only for paragraphs, table rows and bodies (lxml filters the rest), so that the
    # Python below runs a few times a paragraph, not for every element.
    events = ("start", "end")
    for event, element in etree.iterparse(stream, events=events, tag=(_P, _TR, _BODY), **_STRICT):
        tag = element.tag
        if event == "start":
            if tag == _P:
                opened.append(len(texts) if in_body else -1)
                if in_body:
                    texts.append("")
            elif tag == _BODY:
                parent = element.getparent()
                top = parent is not None and parent.getparent() is None
                bodies.append(top)
                in_body += top
            continue
        if tag == _BODY:
            in_body -= bodies.pop()
            continue
        if tag == _P and (at := opened.pop()) >= 0:
            texts[at] = "".join([t.text or "" for t in element.iter(_T)])
        if not opened:
            # Read, and not inside a paragraph still open: drop it and those before it.
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
