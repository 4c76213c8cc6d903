"""A performance project: found like git, perfreport.toml read strictly, paths resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from projectfactory import write_config

from perfreport.core.periods import Period
from perfreport.core.project import (
    ConfigError,
    Tolerance,
    find_project_root,
    load_project,
    normalise_heading,
)


def config_error(tmp_path: Path, extra: str) -> ConfigError:
    write_config(tmp_path, extra=extra)
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    return caught.value


def test_it_is_found_from_a_subfolder_like_git(tmp_path: Path, monkeypatch) -> None:
    write_config(tmp_path / "council")
    deep = tmp_path / "council" / "returns" / "Q2-2024"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_project_root() == (tmp_path / "council").resolve()
    project = load_project()
    assert project.root == (tmp_path / "council").resolve()
    assert project.council == "Test Council"


def test_the_nearest_perfreport_toml_wins(tmp_path: Path) -> None:
    write_config(tmp_path)
    write_config(tmp_path / "inner")
    (tmp_path / "inner" / "sub").mkdir()
    assert find_project_root(tmp_path / "inner" / "sub") == (tmp_path / "inner").resolve()


def test_no_project_says_how_to_get_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="pass --project DIR"):
        load_project()


def test_a_folder_without_perfreport_toml_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.file == str(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: there is no perfreport.toml in {tmp_path}. Check the folder given to "
        f"--project, or create a project there with 'perfreport init {tmp_path}'."
    )
    missing = tmp_path / "typo"
    with pytest.raises(ConfigError) as caught:
        load_project(missing)
    assert str(caught.value) == (
        f"{missing}: there is no such folder. Check the folder given to --project, or create a "
        f"project there with 'perfreport init {missing}'."
    )


def test_a_folder_inside_a_project_names_the_project_to_give_instead(
    tmp_path: Path, monkeypatch
) -> None:
    write_config(tmp_path / "somerset")
    returns = tmp_path / "somerset" / "returns" / "Q2-2024"
    returns.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_project("somerset/returns/Q2-2024")
    assert str(caught.value) == (
        "somerset/returns/Q2-2024: this folder is inside the project somerset: "
        "use --project somerset."
    )
    with pytest.raises(ConfigError) as caught:
        load_project("somerset/retrns")
    assert caught.value.detail == (
        "there is no such folder, and it would be inside the project somerset: "
        "use --project somerset."
    )
    monkeypatch.chdir(tmp_path / "somerset")  # inside it, --project is not needed at all
    with pytest.raises(ConfigError) as caught:
        load_project("returns")
    assert caught.value.detail == (
        f"this folder is inside the project {tmp_path.resolve() / 'somerset'}, which perfreport "
        "finds by itself from the current folder: leave out --project."
    )


def test_its_perfreport_toml_is_taken_as_the_project_another_file_is_refused(
    tmp_path: Path, monkeypatch
) -> None:
    write_config(tmp_path / "somerset")
    (tmp_path / "somerset" / "catalogue.csv").write_text("Ref\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_project("somerset/perfreport.toml").root == (tmp_path / "somerset").resolve()
    with pytest.raises(ConfigError) as caught:
        load_project("somerset/catalogue.csv")
    assert caught.value.detail == (
        "is a file, and --project takes the project's folder (the one with perfreport.toml); "
        "the file is in the project somerset: use --project somerset."
    )


def test_an_unknown_section_is_named_as_written(tmp_path: Path) -> None:
    (tmp_path / "perfreport.toml").write_text(
        '[council]\nname = "X"\n[ratings]\namber_tolerance = 1\n' + PRIORITY, encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.detail == (
        "unknown setting. Allowed at the top level: benchmarks, council, directorates, glossary, limits, paper, paths, "
        "performance, priorities, rating, report, returns, validation."
    )


def test_it_reads_the_settings(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        extra='[report]\ntitle = "Quarterly Performance"\n'
        "[rating]\namber_tolerance = 2.5\n[validation]\ncommentary_word_limit = 100\n",
    )
    project = load_project(tmp_path)
    assert project.title == "Quarterly Performance"
    assert [(p.key, p.name) for p in project.priorities] == [
        ("greener", "A greener, more sustainable Somerset"),
        ("healthy", "A healthy and caring Somerset"),
    ]
    assert project.rating.amber_tolerance == Tolerance(2.5, False)
    assert project.validation.commentary_word_limit == 100
    assert project.config_path == (tmp_path / "perfreport.toml").resolve()


def test_paths_take_the_period_and_resolve_against_the_root(tmp_path: Path) -> None:
    write_config(tmp_path, extra='[paths]\nreturns = "in/{period}/returns"\n')
    project = load_project(tmp_path)
    q2 = Period(2024, 2)
    assert project.returns_dir(q2) == project.root / "in" / "Q2-2024" / "returns"
    assert project.build_dir(q2) == project.root / "build" / "Q2-2024"
    assert project.report_path(q2) == project.root / "reports" / "Q2-2024.toml"
    assert project.catalogue_path == project.root / "catalogue.xlsx"
    (tmp_path / "catalogue.csv").write_text("Ref\n", encoding="utf-8")
    assert project.catalogue_path == project.root / "catalogue.csv"


def test_priorities_are_found_by_key_or_name_ignoring_case_and_punctuation(tmp_path: Path) -> None:
    write_config(tmp_path)
    project = load_project(tmp_path)
    assert project.priority("GREENER").key == "greener"
    assert project.priority("a healthy and caring somerset").key == "healthy"
    assert project.priority("A healthy, caring Somerset") is None
    assert normalise_heading(" Data_Status: ") == normalise_heading("data status") == "datastatus"


PRIORITY = '[[priorities]]\nkey = "a"\nname = "A"\n'


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            '[council]\nname = "X"\n[validation]\nword_limit = 5\n' + PRIORITY,
            "validation.word_limit",
        ),
        ('[council]\nname = "X"\n[ratings]\namber_tolerance = 1\n' + PRIORITY, "ratings"),
        ('[council]\nname = "X"\n[paths]\noutput = "out"\n' + PRIORITY, "paths.output"),
        ('[council]\nname = "X"\nshort_name = "Y"\n' + PRIORITY, "council.short_name"),
        (
            '[council]\nname = "X"\n[[priorities]]\nkey = "a"\nname = "A"\ncolour = "red"\n',
            "priorities[1].colour",
        ),
    ],
)
def test_an_unknown_key_names_the_key_and_the_file(tmp_path: Path, text: str, key: str) -> None:
    (tmp_path / "perfreport.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    error = caught.value
    assert error.key == key
    assert error.file == str((tmp_path / "perfreport.toml").resolve())
    assert str(error).startswith(f"{error.file}, key '{key}': unknown setting.")


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        (
            "[validation]\ncommentary_word_limit = 'many'\n",
            "validation.commentary_word_limit",
            "expected int, got str 'many'",
        ),
        (
            "[validation]\ncommentary_word_limit = true\n",
            "validation.commentary_word_limit",
            "expected int, got bool True",
        ),
        (
            "[validation]\ncommentary_word_limit = -3\n",
            "validation.commentary_word_limit",
            "must be a number from 1 to 100,000, got -3",
        ),
        ("[paths]\nreturns = 3\n", "paths.returns", "expected str, got int 3"),
        (
            "[rating]\namber_tolerance = 'five'\n",
            "rating.amber_tolerance",
            'expected a number or a percentage like "5%"',
        ),
        (
            "[rating]\nno_change_band = -1\n",
            "rating.no_change_band",
            "from 0 to 1,000,000,000,000, got -1",
        ),
    ],
)
def test_a_wrong_type_names_the_key_and_the_file(
    tmp_path: Path, extra: str, key: str, words: str
) -> None:
    error = config_error(tmp_path, extra)
    assert error.key == key
    assert error.file == str((tmp_path / "perfreport.toml").resolve())
    assert words in str(error)


@pytest.mark.parametrize(
    ("deadline", "words"),
    [
        ("Friday 18 October 2026", "18 October 2026 is a Sunday, not a Friday"),
        ("Fri 18th Oct 2026", "18 October 2026 is a Sunday, not a Friday"),
        ("Monday, 18/10/2026", "18 October 2026 is a Sunday, not a Monday"),
    ],
)
def test_a_deadline_whose_weekday_is_not_its_dates_names_the_right_one(
    tmp_path: Path, deadline: str, words: str
) -> None:
    error = config_error(tmp_path, f'[returns]\ndeadline = "{deadline}"\n')
    assert (error.key, error.file) == ("returns.deadline", str(tmp_path / "perfreport.toml"))
    assert error.detail == f"{words}: correct the day or the date under [returns]."


@pytest.mark.parametrize(
    "deadline", ["Friday 18 October 2024", "Sunday 18 October 2026", "18/10/2026", "end of October"]
)
def test_a_deadline_on_its_weekday_or_with_none_is_accepted(tmp_path: Path, deadline: str) -> None:
    write_config(tmp_path, extra=f'[returns]\ndeadline = "{deadline}"\n')
    assert load_project(tmp_path).returns_settings.deadline == deadline


def test_broken_toml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    error = config_error(tmp_path, "[validation\n")
    assert error.detail.endswith(
        "cannot be read at column 12: '[validation'. A section's heading is its name in square "
        "brackets: [returns]."
    )
    assert error.file == str((tmp_path / "perfreport.toml").resolve())


@pytest.mark.parametrize(
    ("line", "advice"),
    [
        (
            "name Somerset Council",
            "at column 6: 'name Somerset Council'. Write each setting on a line of its own as "
            'name = value (text in double quotes: name = "Somerset Council"). A name is one '
            "word: join words with _ or -, or put the name in double quotes.",
        ),
        (
            "deadline = Friday 18 October 2024",
            "at column 12: 'deadline = Friday 18 October 2024'. Text needs double quotes around "
            'it, typed straight: deadline = "Friday 18 October 2024".',
        ),
        ("charts = True", "at column 10: 'charts = True'. Write true or false in lower case."),
        (
            "max_file_bytes = 20,000,000",
            "at column 20: 'max_file_bytes = 20,000,000'. A number has no commas (20000000), and "
            'text such as a date or a percentage goes in double quotes ("18/10/2024", "5%").',
        ),
        (
            'template = "C:\\Performance\\paper.docx"'.replace("\\\\", "\\"),
            "at column 17: 'template = \"C:\\Performance\\paper.docx\"'. In double quotes a \\ "
            "starts a special character: write a Windows path in single quotes "
            "('C:\\Performance\\template.docx') or with forward slashes "
            '("C:/Performance/template.docx").',
        ),
        (
            "contact = \u201cPerformance Team\u201d\x1b[2J",
            "at column 11: 'contact = \u201cPerformance Team\u201d\\x1b[2J'. Type the quotes "
            'straight (" as Notepad types them), not the curly \u201c \u201d Word makes.',
        ),
    ],
)
def test_toml_that_cannot_be_read_names_the_line_shows_it_and_says_what_to_do(
    tmp_path: Path, line: str, advice: str
) -> None:
    """tomllib's words were shown: "Expected '=' after a key in a key/value pair (at line 3...)"."""
    (tmp_path / "perfreport.toml").write_text(
        f'# settings\n[council]\n{line}\n[report]\ntitle = "T"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.file == str((tmp_path / "perfreport.toml").resolve())
    assert caught.value.detail == f"line 3 cannot be read {advice}"


def test_toml_left_open_at_its_end_names_the_line_it_was_opened_on(tmp_path: Path) -> None:
    (tmp_path / "perfreport.toml").write_text(
        '[council]\nname = "Somerset Council"\n[rating]\nx = [1,\n2\n\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.detail == (
        "line 4 cannot be read: 'x = [1,'. A list that opens with [ is not closed with ]."
    )


def test_priorities_are_required_and_their_keys_unique(tmp_path: Path) -> None:
    (tmp_path / "perfreport.toml").write_text('[council]\nname = "X"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.key == "priorities"
    write_config(tmp_path, priorities=(("a", "One"), ("A", "Two")))
    with pytest.raises(ConfigError, match="priority key 'A' is used twice"):
        load_project(tmp_path)


@pytest.mark.parametrize(
    ("raw", "tolerance", "distance"),
    [
        ("5%", Tolerance(5.0, True), 4.5),
        (" 2.5 % ", Tolerance(2.5, True), 2.25),
        (3, Tolerance(3.0, False), 3.0),
        (0.5, Tolerance(0.5, False), 0.5),
        ("1.5", Tolerance(1.5, False), 1.5),
    ],
)
def test_tolerances(raw: object, tolerance: Tolerance, distance: float) -> None:
    parsed = Tolerance.parse(raw)
    assert parsed == tolerance
    assert parsed.distance(-90) == pytest.approx(distance)


def test_a_percentage_tolerance_of_a_zero_target_gives_no_band() -> None:
    assert Tolerance.parse("5%").distance(0) == 0
    assert str(Tolerance.parse("5%")) == "5%" and str(Tolerance.parse(2)) == "2"


@pytest.mark.parametrize("raw", ["-5%", "5 percent", True, [5], -1])
def test_bad_tolerances(raw: object) -> None:
    with pytest.raises(ConfigError):
        Tolerance.parse(raw, file="perfreport.toml", key="rating.amber_tolerance")
