"""Finding codes about what a build makes (the paper, its PDF) and the ratings it compares."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# placeholder: one item of the report file is not filled in, or there is no report file at all.
EXTENT_PAPER = "the paper"
EXTENT_EVERY_SECTION = "every section of the paper"
ACTION_CREATE = "Create it"
OR_IN_WORD = ", or complete it in Word"

# pdf-not-made: why LibreOffice could not be used (built by the PDF stage), and what to do.
PDF_ADVICE_INSTALL = (
    "To get the PDF, install LibreOffice (free, from libreoffice.org; on Debian or Ubuntu: apt "
    "install libreoffice-writer-nogui), or, if it is installed somewhere unusual, set "
    "PERFREPORT_SOFFICE to the full path of its soffice program."
)
PDF_ADVICE_FIX_SETTING = (
    "Set PERFREPORT_SOFFICE to the full path of LibreOffice's soffice program (on Windows "
    "usually C:\\Program Files\\LibreOffice\\program\\soffice.exe), or remove it."
)

PAPER_CODES = (
    Code(
        "link-not-allowed",
        E,
        "A link in the report file is not a web or e-mail address",
        "{file}, {key}: the link '{text}' goes to '{url}', which is not a web or e-mail address. "
        "Links must start https://, http:// or mailto:; correct it or write it as plain text.",
        {
            "file": "reports/Q2-2024.toml",
            "key": "background_papers",
            "text": "Agenda",
            "url": "file:///C:/Agenda.pdf",
        },
    ),
    Code(
        "figure-no-alt",
        E,
        "A figure in the report file has no alt text",
        "{file}, {key}: the figure {image} has no alt text, so a reader who cannot see it would "
        'miss it. Add alt = "…" saying what the figure shows.',
        {"file": "reports/Q2-2024.toml", "key": "figures[1].alt", "image": "golden-thread.png"},
    ),
    Code(
        "figure-not-found",
        E,
        "A figure's image file cannot be used",
        "{file}, {key}: the image {image} {problem}. Put a PNG or JPEG file there (the path "
        "is relative to the report file's folder), or correct the name.",
        {
            "file": "reports/Q2-2024.toml",
            "key": "figures[1].image",
            "image": "golden-thread.png",
            "problem": "does not exist",
        },
        choices={"problem": ("does not exist", "is not a PNG or JPEG image")},
    ),
    Code(
        "pdf-not-made",
        W,
        "LibreOffice is not installed, so only the .docx was written",
        # A build given --pdf stops with the same words (perfreport.paper.pdf.SofficeNotFound).
        "The PDF was not made{why}. The Word document (.docx) is fine. {advice}",
        {"why": " because LibreOffice is not installed", "advice": PDF_ADVICE_INSTALL},
        choices={"advice": (PDF_ADVICE_INSTALL, PDF_ADVICE_FIX_SETTING)},
    ),
    Code(
        "pdf-failed",
        W,
        "LibreOffice is installed but did not make the PDF, so only the .docx was written",
        # Without --pdf; with it the build stops with the same words (build._make_pdf).
        "The PDF was not made, so the paper was published without it: {problem} "
        "To stop the build instead when the PDF cannot be made, use --pdf.",
        {
            "problem": "LibreOffice did not finish making the PDF within 180 seconds and was "
            "stopped. Try again; if it keeps happening, open the .docx in Word or LibreOffice "
            "and save it as PDF by hand."
        },
    ),
    Code(
        "placeholder",
        W,
        "An item of the report file is not filled in",
        '{problem}, so {extent} shows "{shown}". {action} (see docs/report-file.md){otherwise}.',
        {
            "problem": "Executive Summary is not filled in",
            "extent": EXTENT_PAPER,
            "shown": "[To be completed: Executive Summary]",
            "action": "Add 'executive_summary' to reports/Q2-2024.toml",
            "otherwise": OR_IN_WORD,
        },
        choices={"extent": (EXTENT_PAPER, EXTENT_EVERY_SECTION), "otherwise": (OR_IN_WORD, "")},
    ),
    Code(
        "bidi-text",
        W,
        "Text with characters that reverse or reorder it, written out visibly",
        "{where}: {characters} ({kinds}) {were} written out as text (\\u202e), because they "
        "would make Word show the text around them in another order. Check the text where it "
        "came from.",
        {
            "where": "appendix ASC-01 commentary",
            "characters": "1 bidi control character",
            "kinds": "U+202E",
            "were": "was",
        },
        choices={"were": ("were", "was")},
    ),
    Code(
        "unprintable-text",
        W,
        "Text that a Word document cannot hold was removed",
        "{where}: {characters} ({kinds}) {were} removed because a Word document cannot hold "
        "them. Check the text where it came from.",
        {
            "where": "appendix ASC-01 commentary",
            "characters": "2 control characters",
            "kinds": "U+0007",
            "were": "were",
        },
        choices={"were": ("were", "was")},
    ),
    Code(
        "commentary-cut",
        W,
        "Commentary too long for the paper was cut",
        "{ref}: the commentary and actions are {length} characters long, more than the paper "
        'shows ({limit}), so the paper shows the first {limit} and then "{mark}". Shorten '
        "them in the return.",
        {"ref": "ASC-01", "length": "65,534", "limit": "3,000", "mark": "… [cut]"},
    ),
)

# published-rating-differs: how a rebuild replaces the published ratings. Those of a publish
# stopped part-way are read from its hidden staging copy, not from the build folder's
# dataset.json (which does not exist when it was the quarter's first publish): a rebuild first
# puts that copy in place (publish.outputs.recover_outputs), then publishes its own.
REBUILD_AFTER_DELETING = " after deleting"
REBUILD_FINISHES_PUBLISH = ": it first finishes the stopped publish, then publishes a new"
# published-dataset-unreadable: what became of the quarter instead. Rated again when its
# returns were read; not when it has none (its returns folder is empty or gone), nor when they
# are further back than the ratings read returns (a trend's or the RAG counts' older quarters).
RATED_FROM_RETURNS = "was rated again from its returns instead"
NO_RETURNS = "could not be rated again from its returns instead, as it has none"
RETURNS_NOT_READ = (
    "was not rated again from its returns instead, as they are not read this far back"
)

RATING_CODES = (
    Code(
        "no-actions",
        W,
        "A Red or Amber indicator with no actions",
        "Cell {cell}: {ref} is {rag} this quarter but its row has no actions. Say in the Actions "
        "column what the service is doing to bring it back to target; the paper's exception "
        "report shows them.",
        {"cell": "O10", "ref": "ASC-02", "rag": "Red"},
    ),
    Code(
        "figure-restated",
        W,
        "Two different figures for one indicator and period",
        "{ref} has two figures for {period}: {used} from {used_from}, and {other} from "
        "{other_from}. The later, {used}, is used wherever the paper and the dataset show the "
        "{period} figure (Appendix A, the direction of travel, the trend), as a restatement. "
        "Check which is right and correct the other source so that the two agree (a file of "
        "past figures: correct it and import it again with perfreport history import).",
        {
            "ref": "CS-16",
            "period": "2023/24",
            "used": "88.7%",
            "used_from": "returns/Q1-2024/Children's Services return Q1 2024-25.xlsx, sheet "
            "Return, cell E24 (Q1 2024/25)",
            "other": "89.6%",
            "other_from": "history/past-figures.xlsx, sheet History, cell D231 (Q1 2023/24, "
            "imported)",
        },
    ),
    Code(
        "published-rating-differs",
        INFO,
        "A published RAG differs from its returns today",
        "{ref} was published as {before} for {period}, but its returns rated with today's "
        "catalogue give {now} ({reason}). The summary keeps the published {before}, as "
        "committee saw it. If the published paper was wrong, rebuild {key}{advice} {file}.",
        {
            "ref": "ASC-01",
            "before": "Amber",
            "period": "Q1 2024/25",
            "now": "Red",
            "reason": "84.9% against target 90.0%: Red (Amber from 85.5%)",
            "key": "Q1-2024",
            "advice": REBUILD_AFTER_DELETING,
            "file": "build/Q1-2024/dataset.json",
        },
        choices={"advice": (REBUILD_AFTER_DELETING, REBUILD_FINISHES_PUBLISH)},
    ),
    Code(
        "imported-rating-differs",
        INFO,
        "An imported RAG differs from its returns today",
        "{ref}'s figure for {period} was imported from {file} as {before}, but its returns "
        "rated with today's catalogue give {now} ({reason}). The summary keeps the imported "
        "{before}, as committee saw it. If {file} is wrong, correct it and import it again "
        "(perfreport history import {argument}).",
        {
            "ref": "ASC-01",
            "period": "Q1 2023/24",
            "file": "history/past-figures.xlsx",
            "argument": "history/past-figures.xlsx",
            "before": "Amber",
            "now": "Red",
            "reason": "84.9% against target 90.0%: Red (Amber from 85.5%)",
        },
    ),
    Code(
        "publish-unfinished",
        W,
        "A build folder left part-way through a publish",
        "{file} was left part-way through a publish ({journal}): a build of {period} was "
        "stopped while putting its files in place, so some are from that build and some from "
        "the one before. Its ratings are read from that build's dataset.json. Build {key} "
        "again: it first finishes the stopped publish.",
        {
            "file": "build/Q1-2024",
            "period": "Q1 2024/25",
            "journal": "build/.Q1-2024.publish.json",
            "key": "Q1-2024",
        },
    ),
    Code(
        "published-dataset-unreadable",
        W,
        "A published dataset.json cannot be used",
        "{file} cannot be used: {problem}. {period} {instead}. Rebuild {key} with its returns "
        "in {folder} to publish a new one.",
        {
            "file": "build/Q1-2024/dataset.json",
            "problem": "it is not valid JSON (Expecting value at line 1)",
            "period": "Q1 2024/25",
            "instead": RATED_FROM_RETURNS,
            "key": "Q1-2024",
            "folder": "returns/Q1-2024",
        },
        choices={"instead": (RATED_FROM_RETURNS, NO_RETURNS, RETURNS_NOT_READ)},
    ),
    Code(
        "imported-dataset-unreadable",
        W,
        "An imported quarter's dataset.json cannot be used",
        "{file} cannot be used: {problem}. {period} is rated from its returns instead, where it "
        "has any. It holds figures imported by perfreport history import, so import them again "
        "to replace it: perfreport history import {source}.",
        {
            "file": "history/Q1-2023/dataset.json",
            "problem": "it is not valid JSON (Expecting value at line 1)",
            "period": "Q1 2023/24",
            "source": "history/past-figures.xlsx",
        },
    ),
)
