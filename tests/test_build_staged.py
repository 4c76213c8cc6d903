"""A build without a PDF stages its files while the .docx is checked (build._paper's gather):
the same outputs, and where the export's documents are not made yet (no fork for them: Windows,
macOS) they are made once the paper's context and render are let go, as before, so that the two
are not held at once (a 100x build's peak, measured without forks: 414 MB, 430 MB beside)."""

from __future__ import annotations

import weakref

from buildfactory import DATA, DOCX, HTML, Q2, copy_example, outputs_in

from perfreport import build
from perfreport.build import PdfMode, build_paper
from perfreport.paper import rendering


def test_without_a_fork_the_export_is_made_once_the_paper_is_let_go(tmp_path, monkeypatch):
    plain = copy_example("somerset", tmp_path / "plain")
    build_paper(plain, Q2, pdf=PdfMode.OFF)

    project = copy_example("somerset", tmp_path / "somerset")
    renders: list[weakref.ref] = []

    class Watched(rendering.PaperRender):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            renders.append(weakref.ref(self))

    real, paper_alive = build._data_files, []

    def data_files(summary):
        paper_alive.append([render() is not None for render in renders])
        return real(summary)

    monkeypatch.setattr(rendering, "PaperRender", Watched)
    monkeypatch.setattr(build, "EARLY_EXPORT_BELOW", 0)  # a large paper's path (100x)
    monkeypatch.setattr(build, "_start_export", lambda summary: None)  # no fork for the export
    monkeypatch.setattr(build, "_data_files", data_files)
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert result.published and paper_alive == [[False]]  # made once, with the paper let go
    made = outputs_in(project.root / "build")
    assert sorted(made) == sorted(f"Q2-2024/{name}" for name in (DOCX, HTML, *DATA))
    assert made == outputs_in(plain.root / "build")
