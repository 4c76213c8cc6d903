"""PDF conversion: finding LibreOffice, one isolated run per build, and a tagged, titled PDF."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pdf_helpers import (
    inspect_pdf,
    make_fake_program,
    make_sample_docx,
    process_is_gone,
    require_soffice,
)

from perfreport.paper import pdf
from perfreport.paper.pdf import (
    PdfError,
    SofficeNotFound,
    convert_to_pdf,
    find_soffice,
    soffice_version,
)

# A stand-in soffice that answers --version, records how it was started and writes small PDFs
# for the documents it is given. FAKE_MODE chooses how it misbehaves.
FAKE_SOFFICE = """
    import json
    args = sys.argv[1:]
    if args == ["--version"]:
        print(os.environ.get("FAKE_VERSION", "LibreOffice 7.4.7.2 40(Build:2)"))
        sys.exit(0)
    record = os.environ.get("FAKE_RECORD")
    if record:
        with open(record, "a", encoding="utf-8") as out:
            out.write(json.dumps({"args": args, "home": os.environ["HOME"]}) + "\\n")
    mode = os.environ.get("FAKE_MODE", "ok")
    outdir = args[args.index("--outdir") + 1]
    documents = [a for a in args if a.endswith(".docx")]
    if mode == "hang":
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        with open(os.environ["FAKE_PID_FILE"], "w") as out:
            out.write(str(child.pid))
        time.sleep(120)
    if mode == "nothing":
        print("Error: source file could not be loaded")
        sys.exit(0)
    if mode == "exit77":
        sys.exit(77)
    for number, document in enumerate(documents):
        if mode == "first-only" and number > 0:
            continue
        stem = os.path.splitext(os.path.basename(document))[0]
        content = {"ok": b"%PDF-1.7\\n%fake\\n", "empty": b"", "html": b"<html></html>",
                   "first-only": b"%PDF-1.7\\n"}[mode]
        with open(os.path.join(outdir, stem + ".pdf"), "wb") as out:
            out.write(content)
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("FAKE_RECORD", str(tmp_path / "launches.jsonl"))
    return make_fake_program(tmp_path / "fake", "soffice", FAKE_SOFFICE)


def launches(tmp_path: Path) -> list[dict]:
    record = tmp_path / "launches.jsonl"
    if not record.exists():
        return []
    return [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]


def docx_files(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [make_sample_docx(folder / name, heading=f"Heading of {name}") for name in names]


@pytest.fixture
def nothing_installed(tmp_path, monkeypatch) -> None:
    """No LibreOffice anywhere: no setting, an empty PATH, no program folders."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.delenv("PERFREPORT_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(empty))
    for variable in pdf._WINDOWS_PROGRAM_FOLDERS:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(pdf, "_MACOS_FOLDERS", ())


# -- finding LibreOffice ---------------------------------------------------------------------


def test_uses_the_program_named_by_PERFREPORT_SOFFICE(tmp_path, monkeypatch, nothing_installed):
    program = make_fake_program(tmp_path / "lo", "soffice", "print('hello')")
    monkeypatch.setenv("PERFREPORT_SOFFICE", str(program))
    assert find_soffice() == program


def test_accepts_the_install_folder_in_PERFREPORT_SOFFICE(tmp_path, monkeypatch, nothing_installed):
    program = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"MZ")
    monkeypatch.setenv("PERFREPORT_SOFFICE", str(tmp_path / "LibreOffice"))
    assert find_soffice() == program


def test_reports_a_PERFREPORT_SOFFICE_that_points_nowhere(tmp_path, monkeypatch, nothing_installed):
    monkeypatch.setenv("PERFREPORT_SOFFICE", str(tmp_path / "no-such-soffice"))
    assert find_soffice() is None
    (document,) = docx_files(tmp_path / "in", "paper.docx")
    with pytest.raises(SofficeNotFound) as error:
        convert_to_pdf([document], tmp_path / "out")
    assert f"PERFREPORT_SOFFICE is set to '{tmp_path / 'no-such-soffice'}'" in str(error.value)
    assert "The Word document (.docx) is fine" in str(error.value)


def test_finds_libreoffice_on_the_PATH(tmp_path, monkeypatch, nothing_installed):
    program = make_fake_program(tmp_path / "bin", "libreoffice", "print('hello')")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert find_soffice() == program


def test_finds_libreoffice_in_the_windows_program_folder(tmp_path, monkeypatch, nothing_installed):
    program = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"MZ")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert find_soffice() == program


def test_finds_libreoffice_in_the_macos_applications_folder(
    tmp_path, monkeypatch, nothing_installed
):
    program = tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"\xcf\xfa\xed\xfe")
    monkeypatch.setattr(pdf, "_MACOS_FOLDERS", (tmp_path / "Applications",))
    assert find_soffice() == program


def test_says_how_to_get_libreoffice_when_it_is_missing(tmp_path, nothing_installed):
    assert find_soffice() is None
    (document,) = docx_files(tmp_path / "in", "paper.docx")
    with pytest.raises(SofficeNotFound) as error:
        convert_to_pdf([document], tmp_path / "out")
    message = str(error.value)
    assert "LibreOffice is not installed" in message
    assert "install LibreOffice" in message and "PERFREPORT_SOFFICE" in message
    assert "The Word document (.docx) is fine" in message
    assert not (tmp_path / "out").exists()


# -- the version and the export options --------------------------------------------------------


def test_reads_the_version_that_soffice_reports(tmp_path, monkeypatch, fake_soffice):
    monkeypatch.setenv("FAKE_VERSION", "LibreOffice 7.3.2.1 30(Build:1)")
    assert soffice_version(fake_soffice) == (7, 3, 2, 1)


def test_reads_the_version_from_the_windows_version_file_without_starting_soffice(tmp_path):
    program = tmp_path / "program" / "soffice.exe"
    program.parent.mkdir()
    program.write_bytes(b"MZ not runnable here")
    (program.parent / "version.ini").write_text(
        "[Version]\nAllLanguages=en-US\nMsiProductVersion=24.2.1.2\nbuildid=abc\n"
    )
    assert soffice_version(program) == (24, 2, 1, 2)


def test_gives_no_version_for_a_program_that_is_not_libreoffice(
    tmp_path, monkeypatch, fake_soffice
):
    monkeypatch.setenv("FAKE_VERSION", "Collabora Office 22.05.6.3")
    assert soffice_version(fake_soffice) is None
    assert soffice_version(tmp_path / "missing") is None


def test_passes_tagging_and_pdf_ua_as_json_options_from_libreoffice_7_4():
    name, _, options = pdf.pdf_filter((7, 4, 7, 2)).partition("{")
    assert name == "pdf:writer_pdf_Export:"
    assert json.loads("{" + options) == {
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "ExportNotes": {"type": "boolean", "value": "false"},
        "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
        "PDFUACompliance": {"type": "boolean", "value": "true"},
    }


@pytest.mark.parametrize("version", [(7, 3, 7), (6, 4), None])
def test_uses_the_plain_filter_before_libreoffice_7_4(version):
    assert pdf.pdf_filter(version) == "pdf:writer_pdf_Export"


def test_asks_for_pdf_ua_only_from_libreoffice_7_0():
    assert pdf.export_options((7, 0, 1))["PDFUACompliance"] is True
    assert "PDFUACompliance" not in pdf.export_options((6, 4, 7))
    assert "PDFUACompliance" not in pdf.export_options(None)
    assert pdf.export_options((6, 4))["UseTaggedPDF"] is True


# -- one isolated run, checked results (with a stand-in soffice) -------------------------------


def test_converts_all_documents_in_one_soffice_run_with_its_own_profile_and_home(
    tmp_path, fake_soffice
):
    documents = docx_files(tmp_path / "in", "a.docx", "b.docx", "c report.docx")
    pdfs = convert_to_pdf(documents, tmp_path / "out", soffice=fake_soffice)
    assert pdfs == [
        tmp_path / "out" / "a.pdf",
        tmp_path / "out" / "b.pdf",
        tmp_path / "out" / "c report.pdf",
    ]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    (run,) = launches(tmp_path)
    args = run["args"]
    assert args[args.index("--convert-to") + 1].startswith("pdf:writer_pdf_Export:{")
    assert args[-3:] == [str(d) for d in documents]
    (profile,) = [a for a in args if a.startswith("-env:UserInstallation=")]
    assert profile.startswith("-env:UserInstallation=file:///")
    assert run["home"] != str(Path.home())
    assert Path(run["home"]).name == "home"
    # The temporary profile, home and output folder are gone afterwards.
    assert not Path(run["home"]).exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "a.pdf",
        "b.pdf",
        "c report.pdf",
    ]


def test_stops_soffice_and_everything_it_started_after_the_timeout(
    tmp_path, monkeypatch, fake_soffice
):
    monkeypatch.setenv("FAKE_MODE", "hang")
    monkeypatch.setenv("FAKE_PID_FILE", str(tmp_path / "child.pid"))
    documents = docx_files(tmp_path / "in", "paper.docx")
    soffice_version(fake_soffice)  # warm the cache so the timing below is the conversion's
    start = time.monotonic()
    with pytest.raises(PdfError) as error:
        convert_to_pdf(documents, tmp_path / "out", soffice=fake_soffice, timeout=2)
    assert time.monotonic() - start < 30
    assert "did not finish making the PDF within 2 seconds and was stopped" in str(error.value)
    assert "The Word document (.docx) is fine" in str(error.value)
    if sys.platform != "win32":
        child = int((tmp_path / "child.pid").read_text())
        deadline = time.monotonic() + 10
        while not process_is_gone(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert process_is_gone(child), "the process soffice started is still running"


@pytest.mark.parametrize("mode", ["nothing", "empty", "html"])
def test_fails_when_soffice_exits_0_without_a_real_pdf(tmp_path, monkeypatch, fake_soffice, mode):
    monkeypatch.setenv("FAKE_MODE", mode)
    documents = docx_files(tmp_path / "in", "paper.docx")
    with pytest.raises(PdfError) as error:
        convert_to_pdf(documents, tmp_path / "out", soffice=fake_soffice)
    assert str(error.value).startswith("LibreOffice did not produce a PDF for 'paper.docx'.")
    if mode == "nothing":
        assert "LibreOffice said: 'Error: source file could not be loaded'." in str(error.value)
    assert not list((tmp_path / "out").iterdir())


def test_fails_naming_only_the_documents_without_a_pdf(tmp_path, monkeypatch, fake_soffice):
    monkeypatch.setenv("FAKE_MODE", "first-only")
    documents = docx_files(tmp_path / "in", "a.docx", "b.docx", "c.docx")
    with pytest.raises(PdfError) as error:
        convert_to_pdf(documents, tmp_path / "out", soffice=fake_soffice)
    assert str(error.value).startswith("LibreOffice did not produce a PDF for 'b.docx', 'c.docx'.")


def test_explains_exit_code_77(tmp_path, monkeypatch, fake_soffice):
    monkeypatch.setenv("FAKE_MODE", "exit77")
    documents = docx_files(tmp_path / "in", "paper.docx")
    with pytest.raises(PdfError, match="exit code 77: it could not use its settings folder"):
        convert_to_pdf(documents, tmp_path / "out", soffice=fake_soffice)


def test_refuses_documents_that_would_make_pdfs_of_the_same_name(tmp_path, fake_soffice):
    first = docx_files(tmp_path / "one", "paper.docx")
    second = docx_files(tmp_path / "two", "Paper.docx")
    with pytest.raises(ValueError, match="need different file names"):
        convert_to_pdf(first + second, tmp_path / "out", soffice=fake_soffice)
    assert launches(tmp_path) == []


def test_fails_plainly_for_a_document_that_does_not_exist(tmp_path, fake_soffice):
    with pytest.raises(PdfError, match="the file does not exist"):
        convert_to_pdf([tmp_path / "missing.docx"], tmp_path / "out", soffice=fake_soffice)


def test_does_nothing_for_no_documents(tmp_path, fake_soffice):
    assert convert_to_pdf([], tmp_path / "out", soffice=fake_soffice) == []
    assert launches(tmp_path) == []


# -- real LibreOffice -----------------------------------------------------------------------


@pytest.fixture
def soffice() -> Path:
    return require_soffice()


@pytest.mark.pdf
def test_makes_a_tagged_pdf_with_title_language_and_bookmarks(tmp_path, soffice):
    document = make_sample_docx(
        tmp_path / "Corporate Performance Report Q2 2024-25.docx",
        title="Corporate Performance Report Q2 2024/25",
        heading="Summary of performance",
    )
    (made,) = convert_to_pdf([document], tmp_path / "out", soffice=soffice)
    assert made == tmp_path / "out" / "Corporate Performance Report Q2 2024-25.pdf"
    found = inspect_pdf(made)
    assert "Summary of performance" in found["text"]
    assert "ASC-01" in found["text"] and "85.2%" in found["text"]
    assert found["tagged"] and found["marked"]
    assert found["lang"] == "en-GB"
    assert found["title"] == "Corporate Performance Report Q2 2024/25"
    assert found["outline"] == ["Summary of performance", "Appendix A"]
    assert found["has_th"], "the header row marked w:tblHeader becomes TH cells"
    version = soffice_version(soffice)
    assert found["pdf_ua"] is (version is not None and version >= pdf.PDF_UA_SINCE)


@pytest.mark.pdf
def test_still_tags_the_pdf_where_libreoffice_takes_no_json_options(tmp_path, monkeypatch, soffice):
    # Older LibreOffice gets the plain filter and the options through its temporary profile.
    monkeypatch.setattr(pdf, "soffice_version", lambda path: (7, 3, 7, 2))
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(args, *rest, **kwargs):
        started.append(list(args))
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    document = make_sample_docx(tmp_path / "paper.docx", heading="Older LibreOffice")
    (made,) = convert_to_pdf([document], tmp_path / "out", soffice=soffice)
    (args,) = started
    assert args[args.index("--convert-to") + 1] == "pdf:writer_pdf_Export"
    found = inspect_pdf(made)
    assert found["tagged"] and found["marked"] and found["lang"] == "en-GB"
    assert found["outline"] == ["Older LibreOffice", "Appendix A"]
    assert found["pdf_ua"]


@pytest.mark.pdf
def test_converts_three_documents_with_one_libreoffice_start(tmp_path, monkeypatch, soffice):
    soffice_version(soffice)  # the version is read once per program and remembered
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(args, *rest, **kwargs):
        started.append(list(args))
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    documents = docx_files(tmp_path / "in", "first.docx", "second.docx", "third.docx")
    made = convert_to_pdf(documents, tmp_path / "out", soffice=soffice)
    assert len(started) == 1
    assert [inspect_pdf(p)["outline"][0] for p in made] == [
        "Heading of first.docx",
        "Heading of second.docx",
        "Heading of third.docx",
    ]


@pytest.mark.pdf
def test_runs_two_conversions_at_once_without_losing_either(tmp_path, soffice):
    results: dict[str, list[Path] | Exception] = {}

    def convert(name: str) -> None:
        try:
            documents = docx_files(tmp_path / name, f"{name}.docx")
            results[name] = convert_to_pdf(documents, tmp_path / name / "out", soffice=soffice)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[name] = exc

    threads = [threading.Thread(target=convert, args=(name,)) for name in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert {name: [p.name for p in paths] for name, paths in results.items()} == {
        "left": ["left.pdf"],
        "right": ["right.pdf"],
    }
    assert (
        inspect_pdf(tmp_path / "left" / "out" / "left.pdf")["outline"][0] == "Heading of left.docx"
    )


@pytest.mark.pdf
def test_reports_a_document_libreoffice_cannot_open(tmp_path, soffice):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a Word document")
    with pytest.raises(PdfError) as error:
        convert_to_pdf([broken], tmp_path / "out", soffice=soffice)
    assert str(error.value).startswith("LibreOffice did not produce a PDF for 'broken.docx'.")


@pytest.mark.pdf
@pytest.mark.skipif(sys.platform == "win32", reason="HOME is not where LibreOffice looks there")
def test_works_when_the_users_home_folder_is_unusable(tmp_path, monkeypatch, soffice):
    # With HOME pointing at a file, LibreOffice on its own exits 77 or waits for ever.
    not_a_folder = tmp_path / "home-is-a-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("HOME", str(not_a_folder))
    document = make_sample_docx(tmp_path / "paper.docx")
    (made,) = convert_to_pdf([document], tmp_path / "out", soffice=soffice, timeout=120)
    assert inspect_pdf(made)["tagged"]


@pytest.mark.parametrize("module", ["paper/pdf", "publish/outputs", "publish/locking"])
def test_keeps_the_build_infrastructure_free_of_office_pdf_and_cli_libraries(module):
    source = (Path(pdf.__file__).parents[1] / f"{module}.py").read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & {"docx", "docxtpl", "openpyxl", "python_calamine", "typer", "pypdf"}


def test_fails_plainly_when_the_program_cannot_be_started(tmp_path):
    (document,) = docx_files(tmp_path / "in", "paper.docx")
    not_a_program = tmp_path / "soffice"
    not_a_program.write_text("just text")  # not executable
    with pytest.raises(PdfError, match="LibreOffice could not be started from"):
        convert_to_pdf([document], tmp_path / "out", soffice=not_a_program)
