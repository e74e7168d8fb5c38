"""The ``newstrace`` command line: a thin layer over the public API.

Exit codes: 0 everything was processed, 1 some inputs were skipped (each is
reported by name with its reason), 2 usage error (bad option, bad settings).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from . import __version__
from .config import load_settings
from .errors import NewstraceError
from .model import Brief
from .pipeline import analyze as run_analysis
from .report import render_html, render_markdown

FORMATS = {"html": render_html, "md": render_markdown, "json": None}
SUMMARY_CLAIMS = 8
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".json": "json"}

app = typer.Typer(
    help="How many of these articles are actually independent sources?\n\n"
    "newstrace finds who copied whom, who said what and which claims rest on "
    "how many independent origins, and writes a cited story brief.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"newstrace {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """newstrace: trace copies, quotes and claims across news coverage."""


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (.txt, .md).")],
    output: Annotated[
        list[Path] | None,
        typer.Option("-o", "--output", help="Write the brief here; repeat for several formats."),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="html, md or json (default: from the -o suffix)."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file ([newstrace] table).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no summary.")] = False,
) -> None:
    """Analyze articles and write a story brief.

    Example: newstrace analyze examples/corpus -o brief.html -o brief.json
    """
    console = Console(stderr=True)
    targets = _targets(output or [], output_format)
    try:
        settings = load_settings(config)
        with _progress(console, enabled=not quiet) as tell:
            brief = run_analysis(paths, settings=settings, progress=tell)
    except NewstraceError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(exc.exit_code) from None
    for path, fmt in targets:
        _write(brief, fmt, path)
    for skipped in brief.skipped:
        console.print(
            f"skipped {skipped.source}: {skipped.reason}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if not quiet:
        _print_summary(console, brief, [p for p, _ in targets if p])
    raise typer.Exit(1 if brief.skipped else 0)


def _targets(outputs: list[Path], output_format: str | None) -> list[tuple[Path | None, str]]:
    if output_format is not None and output_format not in FORMATS:
        raise typer.BadParameter(f"unknown format {output_format!r}: use html, md or json")
    if not outputs:
        return [(None, output_format or "md")]
    targets = []
    for path in outputs:
        fmt = output_format if len(outputs) == 1 and output_format else None
        fmt = fmt or SUFFIX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise typer.BadParameter(f"cannot tell the format of {path}: give --format")
        targets.append((path, fmt))
    return targets


def _write(brief: Brief, fmt: str, path: Path | None) -> None:
    renderer = FORMATS[fmt]
    text = brief.to_json() if renderer is None else renderer(brief)
    if path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class _progress:
    """A rich progress bar on a terminal; nothing when piped or quiet."""

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self.enabled = enabled and console.is_terminal
        self.bar = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> object:
        if not self.enabled:
            return None
        self.bar.start()
        return self.tell

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.stop()

    def tell(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)


def _print_summary(console: Console, brief: Brief, written: list[Path | None]) -> None:
    families = [f for f in brief.copy_families() if len(f) > 1]
    outlets = {a.outlet for a in brief.articles if a.outlet}
    console.print(
        f"{len(brief.articles)} articles · {len(outlets)} outlets · {len(brief.stories)} stories · "
        f"{len(families)} copy families · {len(brief.quotes)} quotes · "
        f"{len(brief.claims)} claims",
        highlight=False,
    )
    if brief.claims:
        table = Table(title="Claims and their independent origins", title_justify="left")
        table.add_column("claim", overflow="fold", ratio=5)
        table.add_column("articles", justify="right")
        table.add_column("independent", justify="right")
        table.add_column("origins", overflow="fold", ratio=3)
        for claim in brief.claims[:SUMMARY_CLAIMS]:
            articles = len({m.article_id for m in claim.mentions})
            denied = " (denial)" if any(m.stance == "denied" for m in claim.mentions) else ""
            table.add_row(
                _shorten(claim.statement) + denied,
                str(articles),
                str(claim.independent_count),
                "; ".join(o.name for o in claim.origins),
            )
        console.print(table)
        if len(brief.claims) > SUMMARY_CLAIMS:
            console.print(f"… and {len(brief.claims) - SUMMARY_CLAIMS} more claims in the brief")
    for path in written:
        console.print(f"wrote {path}", highlight=False)


def _shorten(text: str, limit: int = 72) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main() -> None:
    """Entry point of the ``newstrace`` script."""
    app()
