"""Titles TOML allows (issue 17, item 2): a report title or council name over 255 characters is
cut in the .docx core properties, which hold no more, and shown whole in the paper."""

from __future__ import annotations

import docx
import pytest
from projectfactory import INDICATORS, service_return, write_catalogue, write_config

from perfreport.build import TITLE_IN_NAME, PdfMode, build_paper
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.paper.document import PROPERTY_LIMIT

Q2 = Period(2024, 2)


@pytest.mark.parametrize(("title_length", "council_length"), [(300, 20), (20, 300), (256, 255)])
def test_a_long_title_or_council_is_cut_in_the_properties_and_whole_in_the_paper(
    tmp_path, title_length, council_length
):
    title = ("Performance " * 40)[:title_length].strip() + "X"
    council = ("Borough " * 60)[:council_length].strip() + "Y"
    root = tmp_path / "council"
    write_config(root, council=council, extra=f'[report]\ntitle = "{title}"\n')
    write_catalogue(root / "catalogue.xlsx", INDICATORS)
    project = load_project(root)
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    result = build_paper(project, Q2, pdf=PdfMode.OFF)  # before: ValueError, 255 char limit
    assert result.published, result.reason
    (path,) = [p for name, p in result.outputs.items() if name.endswith(".docx")]
    paper = docx.Document(str(path))
    props = paper.core_properties
    for full, stored in ((title, props.title), (council, props.author)):
        assert len(stored) <= PROPERTY_LIMIT
        if len(full) < PROPERTY_LIMIT - 20:
            assert full in stored
        else:  # cut, ending "…", from the start of the whole text
            assert stored.endswith("…") and full.startswith(stored[:-1].rstrip()[:200])
    text = "\n".join(p.text for p in paper.paragraphs)
    assert title in " ".join(text.split()) or title in text
    assert len(path.stem) <= TITLE_IN_NAME + len(" Q2 2024-25")
