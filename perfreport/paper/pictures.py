"""Pictures into a rendered part as python-docx places them, in time linear in their number."""

from __future__ import annotations

from typing import Any

from perfreport.paper.standins import stand_in_key

# python-docx's StoryPart.new_pic_inline looks for a matching picture by hashing every image part,
# numbers the new one by listing them all, scans every relationship of the part for a match and
# every id of the document for the next one: each picture costs time in proportion to all the
# pictures before it. A 100x paper has ~9,000 sparklines; its render took minutes. This index does
# the same steps with dictionaries and counters, and gives the same names, numbers and ids, so the
# .docx is byte-identical to python-docx's.


class PictureIndex:
    """What python-docx would search for each picture of ``part``, found once."""

    def __init__(self, part: Any):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self._part = part
        self._image_type = RT.IMAGE
        self._parts = part.package.image_parts
        self._by_sha1: dict[str, Any] = {}
        for image_part in self._parts:
            self._by_sha1.setdefault(image_part.sha1, image_part)  # the first match, as docx
        self._numbers = {image_part.partname.idx for image_part in self._parts}
        self._number = 1  # no lower number is free: numbers are only ever added
        self._rel_of: dict[int, str] = {}
        for rel in part.rels.values():
            if rel.reltype == self._image_type and not rel.is_external:
                self._rel_of.setdefault(id(rel.target_part), rel.rId)
        self._rid = 1
        # The part's XML does not change while the template is filled (the rendered body
        # replaces it afterwards), so python-docx's next id is the same for every picture.
        self._next_id: int | None = None
        self._inline_xml: dict[tuple[int, str, int, int], str] = {}
        self._headers: dict[bytes, Any] = {}  # a stand-in's header, by stand_in_key

    def _image(self, descriptor: Any) -> Any:
        """python-docx's Image.from_file(descriptor); a chart's stand-in (paper.standins) is
        read once for all those that differ from it only in their number (a 100x paper's ~9,000
        sparklines: ~0.25 s)."""
        import io

        from docx.image.image import Image

        blob = descriptor.getvalue() if isinstance(descriptor, io.BytesIO) else None
        key = stand_in_key(blob) if blob is not None else None
        header = self._headers.get(key) if key is not None else None
        if header is not None:
            return Image(blob, f"image.{header.default_ext}", header)
        image = Image.from_file(descriptor)
        if key is not None:
            self._headers[key] = image._image_header
        return image

    def new_pic_inline(self, descriptor: Any, width: Any = None, height: Any = None) -> Any:
        """As StoryPart.new_pic_inline(descriptor, width, height)."""
        from docx.oxml.parser import parse_xml

        xml, rid = self.new_pic_inline_xml(descriptor, width, height)
        return parse_xml(xml.replace(RID_MARK, rid, 1))

    def new_pic_inline_xml(
        self, descriptor: Any, width: Any = None, height: Any = None
    ) -> tuple[str, str]:
        """:meth:`new_pic_inline`'s XML, with RID_MARK in place of its rId, and the rId."""
        from docx.opc.packuri import PackURI
        from docx.oxml.shape import CT_Inline
        from docx.parts.image import ImagePart

        image = self._image(descriptor)
        image_part = self._by_sha1.get(image.sha1)
        if image_part is None:
            # ImageParts._next_image_partname: the lowest unused number up to their count.
            while self._number <= len(self._parts) and self._number in self._numbers:
                self._number += 1
            partname = PackURI(f"/word/media/image{self._number}.{image.ext}")
            image_part = ImagePart.from_image(image, partname)
            self._parts.append(image_part)
            self._numbers.add(self._number)
            self._by_sha1[image.sha1] = image_part
        rid = self._rel_of.get(id(image_part))
        if rid is None:
            rels = self._part.rels
            # Relationships._next_rId: the lowest unused "rIdN" up to their count plus one.
            while self._rid <= len(rels) + 1 and f"rId{self._rid}" in rels:
                self._rid += 1
            rid = f"rId{self._rid}"
            rels.add_relationship(self._image_type, image_part, rid)
            self._rel_of[id(image_part)] = rid
        picture = image_part.image
        cx, cy = picture.scaled_dimensions(width, height)
        if self._next_id is None:
            self._next_id = self._part.next_id
        # The XML depends on the id, the file name, the size and the rId only, and the first three
        # are the same for every sparkline: built once by python-docx, then given each its rId.
        key = (self._next_id, picture.filename, int(cx), int(cy))
        if key not in self._inline_xml:
            made = CT_Inline.new_pic_inline(self._next_id, RID_MARK, picture.filename, cx, cy)
            self._inline_xml[key] = str(made.xml)  # (an XmlString is no dictionary key)
        return self._inline_xml[key], rid


def new_pic_inline(template: Any, descriptor: Any, width: Any = None, height: Any = None) -> Any:
    """The w:inline of a picture in the part ``template`` is rendering (docxtpl's
    current_rendering_part), as python-docx makes it, through that part's one index."""
    return picture_index(template).new_pic_inline(descriptor, width, height)


def picture_index(template: Any) -> PictureIndex:
    """The index of the part ``template`` is rendering (docxtpl's current_rendering_part)."""
    part = template.current_rendering_part
    indexes = template.__dict__.setdefault("_perfreport_pictures", {})
    index = indexes.get(id(part))
    if index is None:
        index = indexes[id(part)] = (part, PictureIndex(part))
    return index[1]


def graft_body(root: Any, body: Any) -> None:
    """Put the rendered ``body`` (another lxml document's) in place of ``root``'s w:body, as
    docxtpl's map_tree does with one ``root.replace``, but table row by table row.

    Each picture's XML declares its namespaces, and lxml's move between documents checks every
    element against a list of all the declarations met so far in the moved subtree: moving a
    9,000-picture body at once took 20 s. Moved a row at a time, the list stays short. lxml
    drops the same redundant declarations either way, so the XML is the same.
    """
    pieces: list[tuple[Any, list[Any]]] = []
    for child in list(body):
        rows = [row for row in child if row.tag == _TR] if child.tag == _TBL else []
        for row in rows:  # the rows first, so that taking out the table moves no rows
            child.remove(row)
        body.remove(child)
        pieces.append((child, rows))
    root.replace(root.find(_BODY), body)
    for child, rows in pieces:
        body.append(child)
        child.extend(rows)


RID_MARK = "rIdPerfreportPicture"  # stands for the rId in a picture's XML built once
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _TBL, _TR = _W + "body", _W + "tbl", _W + "tr"
