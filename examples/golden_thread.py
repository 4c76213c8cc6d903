"""Draw examples/somerset/reports/golden-thread.png, the example paper's "Golden Thread" diagram.

The PNG is committed; run ``python examples/golden_thread.py`` (with Pillow and the Liberation
fonts installed) only to change it. The drawing is fixed, so the same Pillow draws the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUTPUT = Path(__file__).resolve().parent / "somerset" / "reports" / "golden-thread.png"
FONTS = Path("/usr/share/fonts/truetype/liberation2")
NAVY, GOLD, WHITE, INK = (31, 58, 95), (191, 144, 0), (255, 255, 255), (20, 20, 20)
# Each level of the thread: its name, and what it holds in the example council.
LEVELS = (
    ("Council Plan 2023-2027", "Our vision and four priorities for Somerset"),
    ("Directorate and service plans", "How each service delivers the priorities"),
    ("Team plans", "What each team will do this year"),
    ("Individual objectives", "Set and reviewed in each officer's appraisal"),
)
MEASURE = "Performance indicators, reported every quarter, show whether the plan is on track"
WIDTH, HEIGHT, BOX_W, BOX_H, GAP, TOP = 1200, 760, 760, 120, 44, 40


def draw() -> Image.Image:
    bold = ImageFont.truetype(str(FONTS / "LiberationSans-Bold.ttf"), 34)
    regular = ImageFont.truetype(str(FONTS / "LiberationSans-Regular.ttf"), 26)
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    pen = ImageDraw.Draw(image)
    left = 60
    bottom = TOP + len(LEVELS) * (BOX_H + GAP) - GAP
    # The golden thread: one line through every level, down the middle of the boxes.
    thread_x = left + BOX_W // 2
    pen.line([(thread_x, TOP - 20), (thread_x, bottom + 20)], fill=GOLD, width=14)
    for number, (name, what) in enumerate(LEVELS):
        top = TOP + number * (BOX_H + GAP)
        pen.rounded_rectangle(
            [left, top, left + BOX_W, top + BOX_H], radius=18, fill=NAVY, outline=GOLD, width=6
        )
        pen.text((left + 30, top + 18), name, font=bold, fill=WHITE)
        pen.text((left + 30, top + 68), what, font=regular, fill=WHITE)
    # The indicators measure every level: a bracket down the right-hand side, and its label.
    right = left + BOX_W + 50
    pen.line(
        [(right, TOP), (right + 30, TOP), (right + 30, bottom), (right, bottom)], fill=INK, width=5
    )
    words, lines, line = MEASURE.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if pen.textlength(candidate, font=regular) > WIDTH - right - 80:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    middle = (TOP + bottom) // 2 - len(lines) * 17
    for index, text in enumerate(lines):
        pen.text((right + 50, middle + index * 34), text, font=regular, fill=INK)
    pen.text(
        (left, bottom + 40),
        "Each level links to the one above it, so every objective serves the Council Plan.",
        font=regular,
        fill=INK,
    )
    return image


def main() -> None:
    draw().save(OUTPUT, optimize=False)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
