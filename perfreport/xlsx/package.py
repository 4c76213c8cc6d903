"""Bounds and sanity checks on an .xlsx zip package, made before any XML in it is parsed."""

from __future__ import annotations

import functools
import io
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from perfreport.core.codes_files import (
    ADVICE_HARMFUL,
    ADVICE_REPAIR,
    ADVICE_SAVE_AS_XLSX,
    ADVICE_SAVE_AS_XLSX_NOT_STRICT,
    ADVICE_SAVE_WITHOUT_PASSWORD,
    ADVICE_SEND_WORKBOOK,
    ADVICE_SEND_WORKBOOK_ITSELF,
    THIS_FILE,
)
from perfreport.core.project import LimitSettings
from perfreport.xlsx.inflate import inflate
from perfreport.xlsx.prolog import part_prolog, scan_prolog

_RATIO_FLOOR = 1024 * 1024  # a part that expands to under 1 MiB cannot hurt, whatever its ratio
_CONTENT_TYPES_LIMIT = 1024 * 1024
_WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
_XLSB_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
XLSB = "an Excel Binary Workbook (.xlsb), which perfreport does not read"
_TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_BETA = "http://schemas.microsoft.com/office/excel/2006/2"


@dataclass(frozen=True)
class PackageProblem:
    code: str
    fields: Mapping[str, str]  # the fields of the code's message: what is wrong


# A part this small is read whole by the checks and kept for the reader (``parts``), so that a
# return's zip is inflated once, not twice; KEPT_TOTAL bounds what one file may keep.
_KEEP_PART = 256 * 1024
_KEEP_TOTAL = 4 * 1024 * 1024


def check_package(
    data: bytes,
    limits: LimitSettings,
    parts: dict[str, bytes] | None = None,
    members: dict[str, zipfile.ZipInfo] | None = None,
) -> PackageProblem | None:
    """The first reason not to hand this zip to an XML parser, or None when it looks safe.

    ``parts``, when given, receives the small parts that were read whole (by zip name), for the
    reader to use instead of inflating them again; ``members``, each member's ZipInfo by name
    when the package looks safe (the reader then need not read the zip's directory again).
    """
    declared = declared_member_count(data)
    if declared is not None and declared > limits.max_zip_members:
        return _suspicious(f"holds {declared:,} parts (limit {limits.max_zip_members:,})")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # noqa: BLE001 - any failure to read the zip directory means a damaged file
        return _damaged()
    with archive:
        problem = (
            _check_members(infos, limits)
            or _check_kind(archive, infos)
            or _check_parts(archive, infos, limits, {} if parts is None else parts, data)
        )
    if problem is None and members is not None:
        members.update((info.filename, info) for info in infos)  # one each (_check_members)
    return problem


def declared_member_count(data: bytes) -> int | None:
    """The member count in the end-of-central-directory record (zip64 aware), read unparsed."""
    tail_start = max(0, len(data) - (65535 + 22))
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or at + 12 > len(data):
        return None
    count = int.from_bytes(data[at + 10 : at + 12], "little")
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        offset = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if offset + 40 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            count = int.from_bytes(data[offset + 32 : offset + 40], "little")
    return count


@functools.lru_cache(maxsize=4096)  # the same few dozen names in every return
def part_key(name: str) -> str:
    """A part's name as any reader could resolve it: ``\\`` read as ``/``, percent-escapes
    decoded (part names are URIs), ``.``, ``..`` and empty segments resolved, Unicode composed,
    and case ignored. Two zip members with one key are one part to Excel, but zipfile and
    openpyxl would read one of them: which one is not something a return may leave open."""
    text = unicodedata.normalize("NFC", unquote(name.replace("\\", "/")))
    resolved = posixpath.normpath("/" + text).lstrip("/")
    return "" if resolved == "." else resolved.casefold()


def _suspicious(problem: str) -> PackageProblem:
    return PackageProblem(
        "suspicious-file", {"subject": THIS_FILE, "problem": problem, "advice": ADVICE_HARMFUL}
    )


def _damaged() -> PackageProblem:
    return PackageProblem(
        "unreadable-file",
        {
            "problem": "is damaged or incomplete, perhaps cut short while it was saved, "
            "copied or downloaded",
            "advice": ADVICE_REPAIR,
        },
    )


def _not_a_workbook(kind: str, advice: str = ADVICE_SEND_WORKBOOK) -> PackageProblem:
    return PackageProblem(
        "not-a-workbook", {"kind": f"{kind}, not an Excel workbook", "advice": advice}
    )


def _legacy(kind: str) -> PackageProblem:
    return PackageProblem("legacy-format", {"kind": kind})


def _check_members(infos: list[zipfile.ZipInfo], limits: LimitSettings) -> PackageProblem | None:
    if len(infos) > limits.max_zip_members:
        return _suspicious(f"holds {len(infos):,} parts (limit {limits.max_zip_members:,})")
    seen: dict[str, str] = {}
    for info in infos:
        key = part_key(info.filename)
        if key in seen:
            first = seen[key]
            named = (
                f"two parts named '{info.filename}'"
                if first == info.filename
                else f"two names for one part ('{first}' and '{info.filename}')"
            )
            return _suspicious(
                f"holds {named}, so different programs could read different contents"
            )
        seen[key] = info.filename
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        return _suspicious(
            f"would expand to {total / 2**20:,.0f} MB when opened (limit "
            f"{limits.max_uncompressed_bytes / 2**20:,.0f} MB)"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            return _suspicious(
                f"contains a part ('{info.filename}') that expands {ratio:,.0f} "
                f"times when opened (limit {limits.max_compression_ratio:g}): a "
                "'zip bomb'"
            )
    if any(info.flag_bits & 0x1 for info in infos):
        return PackageProblem(
            "encrypted-workbook",
            {
                "problem": "has password-protected (encrypted) parts, so it cannot be read",
                "advice": ADVICE_SAVE_WITHOUT_PASSWORD,
            },
        )
    return None


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as stream:
        return stream.read(limit)


def _check_kind(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> PackageProblem | None:
    """OpenDocument, .xlsb, or a zip that is no Office document at all."""
    names = {part_key(info.filename): info for info in infos}
    try:
        mimetype = _read_small(archive, names["mimetype"], 200) if "mimetype" in names else b""
    except Exception:  # noqa: BLE001 - unreadable member data: a damaged file
        return _damaged()
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return _legacy("an OpenDocument spreadsheet (.ods), not an Excel workbook")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return _not_a_workbook("an OpenDocument file")
    if "xl/workbook.bin" in names:
        return _legacy(XLSB)
    if "[content_types].xml" not in names:
        if any(key.startswith("xl/") for key in names):
            return _damaged()
        return _not_a_workbook("a zip archive", ADVICE_SEND_WORKBOOK_ITSELF)
    return None


def _check_parts(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    limits: LimitSettings,
    parts: dict[str, bytes],
    data: bytes,
) -> PackageProblem | None:
    roots: dict[str, str] = {}
    kept = 0
    for info in infos:
        if info.is_dir():
            continue
        whole = None
        if info.file_size <= _KEEP_PART and kept + info.file_size <= _KEEP_TOTAL:
            whole = inflate(data, info)
            if whole is None:
                whole = _read_whole(archive, info)
        try:
            if whole is not None:
                parts[info.filename] = whole
                kept += len(whole)
                prolog = part_prolog(whole)
            else:
                with archive.open(info) as stream:
                    prolog = scan_prolog(stream)
        except Exception:  # noqa: BLE001 - corrupt compressed data or a bad local header
            return _damaged()
        if prolog.outcome == "dtd":
            return _suspicious(
                f"has a DTD or entity declaration in '{info.filename}', which "
                "Excel never writes (a way to attack XML readers)"
            )
        if prolog.outcome == "encoding":
            return _suspicious(
                f"has a part ('{info.filename}') in an unusual text encoding "
                f"('{prolog.detail}'), which Excel never writes"
            )
        if prolog.outcome == "too-long":
            return _suspicious(f"has a part ('{info.filename}') whose XML header is unusually long")
        if prolog.outcome == "root":
            roots[part_key(info.filename)] = prolog.detail
    return _check_content(archive, infos, roots, limits, parts)


def _read_whole(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The part's data, or None when it cannot be read whole (then it is read as before, as
    far as the check needs: a damaged part is reported by whatever reads it first, as ever)."""
    try:
        return archive.read(info)
    except Exception:  # noqa: BLE001 - bad data or checksum: left to the streaming read
        return None


@functools.lru_cache(maxsize=64)  # returns made from one template share it; failures not kept
def _content_types(xml: bytes) -> tuple[Mapping[str, str], frozenset[str]]:
    """[Content_Types].xml: the overrides (part key -> type, in order) and the default types."""
    from types import MappingProxyType

    from defusedxml.ElementTree import fromstring

    types = fromstring(xml)
    overrides = {
        part_key(el.get("PartName", "")): el.get("ContentType", "")
        for el in types
        if el.tag.endswith("}Override")
    }
    defaults = frozenset(el.get("ContentType", "") for el in types if el.tag.endswith("}Default"))
    return MappingProxyType(overrides), defaults


def _check_content(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    roots: dict[str, str],
    limits: LimitSettings,
    parts: dict[str, bytes],
) -> PackageProblem | None:
    info = next(i for i in infos if part_key(i.filename) == "[content_types].xml")
    if info.file_size > _CONTENT_TYPES_LIMIT:
        return _suspicious("has an unusually large list of contents ([Content_Types].xml)")
    try:
        kept = parts.get(info.filename)
        overrides, defaults = _content_types(kept if kept is not None else archive.read(info))
    except Exception:  # noqa: BLE001 - malformed XML or bad CRC
        return _damaged()
    content = set(overrides.values()) | defaults
    if _XLSB_TYPE in content:
        return _legacy(XLSB)
    main = next((part for part, kind in overrides.items() if kind in _WORKBOOK_TYPES), None)
    if main is None and defaults & _WORKBOOK_TYPES:
        main = "xl/workbook.xml"
    if main is None:
        if any("spreadsheetml" in kind or "ms-excel" in kind for kind in content):
            return _damaged()
        return _not_a_workbook("an Office file of another kind (for example a Word document)")
    problem = _check_dialect(roots.get(main, ""))
    if problem is not None:
        return problem
    strings = [part for part, kind in overrides.items() if kind == _SHARED_STRINGS_TYPE]
    for part in strings or [k for k in roots if k.endswith("sharedstrings.xml")]:
        declared = max(
            _int_attribute(roots.get(part, ""), name) for name in ("count", "uniqueCount")
        )
        if declared > limits.max_sheet_cells:
            return _suspicious(
                f"declares {declared:,} shared text entries, far more than a return "
                f"can hold (limit {limits.max_sheet_cells:,})"
            )
        # The declared counts are optional: count the entries too, before any parser sees them
        # (4 million undeclared entries took the reader past its time limit).
        info = next((i for i in infos if part_key(i.filename) == part), None)
        counted = _count_entries(archive, info, limits.max_sheet_cells, parts) if info else 0
        if counted < 0:
            return _damaged()
        if counted > limits.max_sheet_cells:
            return _suspicious(
                f"holds more than {limits.max_sheet_cells:,} shared text entries, far more "
                "than a return can hold"
            )
    return None


# <si> or <x:si>: the unprefixed form tried first (a third faster than an optional prefix).
_ENTRY = re.compile(rb"<(?:si[\s/>]|[A-Za-z_][\w.\-]*+:si[\s/>])")


def _count_entries(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, parts: dict[str, bytes]
) -> int:
    """How many <si> entries the shared-string part holds, counting stopped past ``limit``; -1
    when its data cannot be read. Streamed in blocks: no more than one block in memory."""
    counted, tail = 0, b""
    kept = parts.get(info.filename)
    try:
        with io.BytesIO(kept) if kept is not None else archive.open(info) as stream:
            while counted <= limit:
                block = stream.read(1 << 20)
                if not block:
                    break
                data = tail + block
                counted += len(_ENTRY.findall(data))
                # An entry's start cut by the block's end is counted with the next block; one
                # wholly inside the kept tail must not count twice.
                cut = data.rfind(b"<", max(0, len(data) - 64))
                if cut >= 0 and not _ENTRY.match(data, cut):
                    tail = data[cut:]
                else:
                    tail = b""
    except Exception:  # noqa: BLE001 - corrupt compressed data: a damaged file
        return -1
    return counted


# Compiled at import (before the reading workers are forked), not by each on its first file.
_COUNTS = {
    name: re.compile(rf"""\s{name}\s*=\s*["']\s*(\d{{1,20}})\s*["']""")
    for name in ("count", "uniqueCount")
}
_ROOT_TAG = re.compile(r"<\s*(?:([\w.\-]+):)?[\w.\-]+")
_XMLNS = re.compile(r"""\sxmlns\s*=\s*["']([^"']*)["']""")


def _int_attribute(tag: str, name: str) -> int:
    match = _COUNTS[name].search(tag)
    return int(match[1]) if match else 0


def root_namespace(tag: str) -> str:
    """The namespace of a root start tag such as ``<x:workbook xmlns:x="...">``."""
    match = _ROOT_TAG.match(tag)
    if not match:
        return ""
    if match[1]:
        attribute = re.escape(f"xmlns:{match[1]}")
        declared = re.search(rf"""\s{attribute}\s*=\s*["']([^"']*)["']""", tag)
    else:
        declared = _XMLNS.search(tag)
    return declared[1].strip() if declared else ""


def _check_dialect(root: str) -> PackageProblem | None:
    if not root:
        return None  # the workbook part is missing or not XML: the loader reports it
    namespace = root_namespace(root)
    if namespace == _TRANSITIONAL:
        return None
    advice = ADVICE_SAVE_AS_XLSX
    if namespace.startswith("http://purl.oclc.org/ooxml/"):
        problem = (
            "is saved as a 'Strict Open XML Spreadsheet', which perfreport cannot read reliably"
        )
        advice = ADVICE_SAVE_AS_XLSX_NOT_STRICT
    elif namespace == _BETA:
        problem = (
            "was saved by a pre-release (beta) version of Excel 2007, whose format perfreport "
            "cannot read"
        )
    else:
        problem = (
            f"uses a workbook format perfreport does not know (namespace '{namespace or 'none'}')"
        )
    return PackageProblem("unsupported-dialect", {"problem": problem, "advice": advice})
