"""Render the README's pictures of the web page: the example's first screen on a phone and a desktop.

    python docs/make_page_images.py

Builds examples/somerset's web page (in a temporary folder, so nothing is written into
examples/) and takes two screenshots with headless Chromium into docs/images/page-phone.png and
docs/images/page-desktop.png. Needs Chromium installed (Debian: apt install chromium).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "somerset"
IMAGES = HERE / "images"
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
# No network here or in CI: nothing in the background may try to reach it.
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --hide-scrollbars"
).split()


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed (Debian: apt install chromium).")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        subprocess.run(
            [sys.executable, "-m", "perfreport", "build", "Q2-2024", "--project", str(EXAMPLE)]
            + ["--out", str(out), "--no-pdf", "--quiet"],
            check=True,
        )
        (page,) = out.glob("*.html")
        for name, (width, height) in SIZES.items():
            target = IMAGES / f"page-{name}.png"
            subprocess.run(
                [chromium, *FLAGS, f"--user-data-dir={Path(tmp) / name}"]
                + [f"--window-size={width},{height}", f"--screenshot={target}", page.as_uri()],
                check=True,
                capture_output=True,
            )
            print(f"wrote {target}")


if __name__ == "__main__":
    main()
