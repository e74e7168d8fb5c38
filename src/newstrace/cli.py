"""The ``newstrace`` command line: a thin layer over the public API.

Exit codes: 0 everything was processed, 1 some inputs were skipped (each is
reported by name with its reason), 2 usage error (bad option, bad settings).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from . import __version__
from .config import Settings, load_settings
from .errors import NewstraceError
from .ingest import read_url_list
from .model import Brief, Skipped
from .pipeline import analyze as run_analysis
from .pipeline import analyze_store, dask_client, ingest_store
from .report import render_html, render_markdown

if TYPE_CHECKING:
    from .store import Store
from .report.index import write_story_pages

FORMATS = {"html": render_html, "md": render_markdown, "json": None}
SUMMARY_CLAIMS = 8
DB_OPTION = typer.Option("--db", help="Project store: a SQLite file path or a postgresql:// URL.")
DEFAULT_DB = "newstrace.db"
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
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders, globs, URLs or - for standard input "
            "(.txt, .md, .html, RSS/Atom .xml, .json, .jsonl)."
        ),
    ] = None,
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
    urls: Annotated[
        Path | None, typer.Option("--urls", help="A file of URLs to fetch, one a line.")
    ] = None,
    text_field: Annotated[
        str | None, typer.Option("--text-field", help="JSON field holding the article text.")
    ] = None,
    title_field: Annotated[
        str | None, typer.Option("--title-field", help="JSON field holding the title.")
    ] = None,
    url_field: Annotated[
        str | None, typer.Option("--url-field", help="JSON field holding the URL.")
    ] = None,
    date_field: Annotated[
        str | None, typer.Option("--date-field", help="JSON field holding the date.")
    ] = None,
    outlet_field: Annotated[
        str | None, typer.Option("--outlet-field", help="JSON field holding the outlet.")
    ] = None,
    keep_boilerplate: Annotated[
        bool | None,
        typer.Option("--keep-boilerplate", help="Do not clean: keep every line of each article."),
    ] = None,
    allow_private_urls: Annotated[
        bool | None,
        typer.Option("--allow-private-urls", help="Fetch URLs on loopback/private addresses."),
    ] = None,
    db: Annotated[str | None, DB_OPTION] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="With --db: run the per-article stages on a Dask scheduler (ADDRESS, or local).",
        ),
    ] = None,
) -> None:
    """Analyze articles and write a story brief.

    Example: newstrace analyze examples/corpus -o brief.html -o brief.json

    With --db, PATHs (if any) are first added to the store, then everything the
    store holds is analyzed incrementally and the brief is saved in it.
    Example: newstrace analyze --db newstrace.db -o brief.html
    """
    options = {
        "text_field": text_field,
        "title_field": title_field,
        "url_field": url_field,
        "date_field": date_field,
        "outlet_field": outlet_field,
        "keep_boilerplate": keep_boilerplate,
        "allow_private_urls": allow_private_urls,
    }
    console = Console(stderr=True)
    targets = _targets(output or [], output_format)
    try:
        settings = load_settings(config, **{k: v for k, v in options.items() if v is not None})
        inputs = [*(paths or []), *(read_url_list(urls) if urls else [])]
        if not inputs and db is None:
            raise typer.BadParameter("give at least one PATH, URL, - or --urls FILE")
        if dask and db is None:
            raise typer.BadParameter("--dask needs --db")
        with _progress(console, enabled=not quiet) as tell:
            brief = _analyze(inputs, db, settings, tell, console, quiet=quiet, dask=dask)
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


@app.command()
def stories(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file ([newstrace] table).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per story.")] = False,
) -> None:
    """List the stories found among articles: id, title, articles, outlets, first/last seen.

    Example: newstrace stories examples/corpus
    """
    console = Console(stderr=True)
    try:
        brief = run_analysis(paths, settings=load_settings(config))
    except NewstraceError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(exc.exit_code) from None
    _print_stories(brief, as_json=as_json)
    for skipped in brief.skipped:
        console.print(f"skipped {skipped.source}: {skipped.reason}", highlight=False, markup=False)
    raise typer.Exit(1 if brief.skipped else 0)


def _print_stories(brief: Brief, *, as_json: bool) -> None:
    rows = brief.to_dict()["stories"]
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} stories in {len(brief.articles)} articles")
    for column, justify in [
        ("id", "left"),
        ("title", "left"),
        ("articles", "right"),
        ("outlets", "right"),
        ("first seen", "left"),
        ("last seen", "left"),
    ]:
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        table.add_row(
            row["id"],
            _shorten(row["title"], 60),
            str(len(row["articles"])),
            str(row["outlet_count"]),
            row["first_seen"] or "",
            row["last_seen"] or "",
        )
    Console(width=160 if not sys.stdout.isatty() else None).print(table)


def _targets(outputs: list[Path], output_format: str | None) -> list[tuple[Path | None, str]]:
    if output_format is not None and output_format not in FORMATS:
        raise typer.BadParameter(f"unknown format {output_format!r}: use html, md or json")
    if not outputs:
        return [(None, output_format or "md")]
    targets = []
    for path in outputs:
        fmt = output_format if len(outputs) == 1 and output_format else None
        fmt = fmt or SUFFIX_FORMATS.get(path.suffix.lower()) or _dir_format(path)
        if fmt is None:
            raise typer.BadParameter(f"cannot tell the format of {path}: give --format")
        targets.append((path, fmt))
    return targets


def _dir_format(path: Path) -> str | None:
    """``-o DIR`` (an existing folder, or a name with no suffix): one brief per story."""
    return "dir" if path.is_dir() or not path.suffix else None


def _write_dir(brief: Brief, path: Path) -> None:
    """An index page plus one brief per story (HTML, Markdown, JSON) in ``path``."""
    write_story_pages(brief, path)


def _write(brief: Brief, fmt: str, path: Path | None) -> None:
    if fmt == "dir" and path is not None:
        _write_dir(brief, path)
        return
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
        f"{len(families)} copy {'family' if len(families) == 1 else 'families'} · "
        f"{len(brief.quotes)} quotes · "
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


def _analyze(
    inputs: list[str],
    db: str | None,
    settings: Settings,
    tell: Any,
    console: Console,
    *,
    quiet: bool,
    dask: str | None = None,
) -> Brief:
    """Analyze ``inputs``, or (with ``db``) add them to the store and analyze the store."""
    if db is None:
        return run_analysis(inputs, settings=settings, progress=tell)
    with open_store(db) as store, dask_client(dask) if dask else nullcontext() as client:
        added = ingest_store(store, inputs, settings=settings, progress=tell) if inputs else None
        result = analyze_store(store, settings=settings, progress=tell, client=client)
    if not quiet:
        if added is not None:
            _print_ingest(console, added.added, added.already_present, len(added.skipped))
        console.print(
            f"{len(result.new_articles)} new articles · {len(result.changed_stories)} stories "
            f"new or changed · {len(result.dropped_stories)} merged away",
            highlight=False,
        )
        for story in result.brief.stories:
            if story.id in result.changed_stories:
                console.print(
                    f"  changed {story.id} {_shorten(story.title, 60)}",
                    markup=False,
                    soft_wrap=True,
                )
    skipped = added.skipped if added is not None else ()
    return replace(result.brief, skipped=skipped + result.brief.skipped)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs or URLs to add.")],
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file ([newstrace] table).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no summary.")] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Articles added per transaction.")
    ] = 100,
) -> None:
    """Add articles to a project store; articles already stored are not added twice.

    Example: newstrace ingest examples/corpus --db newstrace.db
    """
    console = Console(stderr=True)
    try:
        settings = load_settings(config)
        with open_store(db) as store, _progress(console, enabled=not quiet) as tell:
            result = ingest_store(
                store, paths, settings=settings, batch_size=batch_size, progress=tell
            )
    except NewstraceError as exc:
        _fail(console, exc)
    _print_skipped(console, result.skipped)
    if not quiet:
        _print_ingest(console, result.added, result.already_present, len(result.skipped))
    raise typer.Exit(1 if result.skipped else 0)


@app.command()
def report(
    story: Annotated[
        str | None, typer.Argument(help="A story id (or its first characters); default: all.")
    ] = None,
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
    output: Annotated[
        list[Path] | None,
        typer.Option("-o", "--output", help="Write the brief here; repeat for several formats."),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="html, md or json (default: from the -o suffix)."),
    ] = None,
) -> None:
    """Write a brief from the analysis stored by `newstrace analyze --db`.

    Example: newstrace report --db newstrace.db s1a2b3 -o story.html
    """
    console = Console(stderr=True)
    targets = _targets(output or [], output_format)
    try:
        with open_store(db) as store:
            brief = store.load_brief(story)
    except NewstraceError as exc:
        _fail(console, exc)
    for path, fmt in targets:
        _write(brief, fmt, path)
        if path is not None:
            console.print(f"wrote {path}", highlight=False)


@app.command("export")
def export_project(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="JSONL file (default: standard output).")
    ] = None,
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
) -> None:
    """Write a whole project (articles, caches, analysis) as JSONL.

    Example: newstrace export --db newstrace.db -o project.jsonl
    """
    console = Console(stderr=True)
    try:
        with open_store(db) as store:
            if output is None:
                count = store.export_jsonl(sys.stdout)
            else:
                with output.open("w", encoding="utf-8") as out:
                    count = store.export_jsonl(out)
    except (NewstraceError, OSError) as exc:
        _fail(console, exc)
    console.print(f"exported {count} rows", highlight=False)


@app.command("import")
def import_project(
    source: Annotated[Path, typer.Argument(help="A JSONL file written by newstrace export.")],
    db: Annotated[str, DB_OPTION] = DEFAULT_DB,
) -> None:
    """Read a project written by `newstrace export` into a store (articles merged by id).

    Example: newstrace import project.jsonl --db copy.db
    """
    console = Console(stderr=True)
    try:
        with open_store(db) as store, source.open(encoding="utf-8") as lines:
            result = store.import_jsonl(lines)
    except (NewstraceError, OSError, UnicodeDecodeError) as exc:
        _fail(console, exc)
    _print_ingest(console, result.added, result.already_present, 0)


@app.command()
def serve(
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="Folder holding one sub-folder per project.")
    ] = Path("newstrace-projects"),
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; 0.0.0.0 exposes the app.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    allow_urls: Annotated[
        bool, typer.Option("--allow-urls", help="Let users paste URLs for the server to fetch.")
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file ([newstrace] table).")
    ] = None,
) -> None:
    """Serve the web app: projects, stories, briefs, claims and search (API at /docs).

    Example: newstrace serve --data-dir projects --port 8000
    """
    import uvicorn

    from .web import WebConfig, create_app

    console = Console(stderr=True)
    try:
        settings = load_settings(config)
    except NewstraceError as exc:
        _fail(console, exc)
    web = WebConfig(data_dir=data_dir, allow_urls=allow_urls)
    console.print(f"serving {data_dir} on http://{host}:{port}/", highlight=False)
    uvicorn.run(create_app(settings, config=web), host=host, port=port, log_level="warning")


def open_store(db: str) -> Store:
    """The project store at ``db`` (imported here: SQLAlchemy loads only when needed)."""
    from .store import open_store as open_

    return open_(db)


def _fail(console: Console, exc: Exception) -> NoReturn:
    console.print(f"[red]error:[/red] {exc}", highlight=False)
    raise typer.Exit(getattr(exc, "exit_code", 1)) from None


def _print_skipped(console: Console, skipped: Sequence[Skipped]) -> None:
    for item in skipped:
        console.print(
            f"skipped {item.source}: {item.reason}", highlight=False, markup=False, soft_wrap=True
        )


def _print_ingest(console: Console, added: int, present: int, skipped: int) -> None:
    console.print(f"{added} added · {present} already present · {skipped} skipped", highlight=False)


def main() -> None:
    """Entry point of the ``newstrace`` script."""
    app()
