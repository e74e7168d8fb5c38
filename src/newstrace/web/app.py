"""The newstrace web app: projects, stories, briefs, claims, articles and search.

``create_app(settings, config=WebConfig(...))`` returns a FastAPI app with
server-rendered pages (Jinja2, autoescaped, no JavaScript) and the JSON API
behind them under ``/api`` (OpenAPI at ``/openapi.json``, read as a page at
``/docs``). Uploads and pastes from the pages are ingested in the background;
the project page follows the job with a meta refresh.
Projects are folders under ``config.data_dir`` (see ``web.projects``).

Safety: every page is rendered with autoescaping and served with a
Content-Security-Policy that allows no script at all, so text from articles
can never run; uploads are limited in size and number and written only
inside the project's ``uploads/`` folder under generated names; URLs are
fetched only when ``config.allow_urls`` is set. ``newstrace serve`` binds
127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from newstrace import __version__
from newstrace.config import Settings
from newstrace.report.html import article_segments, render_html
from newstrace.report.index import story_pages
from newstrace.web.apidocs import api_reference
from newstrace.web.projects import IngestReport, JobStatus, ProjectError, Projects, StageProgress
from newstrace.web.views import article_view, claim_view, search_brief

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class WebConfig:
    """Where projects live and what uploads may do."""

    data_dir: Path = Path("newstrace-projects")
    max_upload_bytes: int = 5_000_000
    max_files: int = 200
    max_paste_chars: int = 1_000_000
    allow_urls: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectInfo:
    name: str
    articles: int
    stories: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryInfo:
    id: str
    title: str
    articles: int
    verdict: str


@dataclass(frozen=True, slots=True, kw_only=True)
class JobInfo:
    """A background ingest: ``state`` is queued, running, done or failed."""

    id: str
    project: str
    state: str
    inputs: int
    stage: str
    done: int
    total: int
    stages: list[StageProgress]
    skipped: list[str]
    report: IngestReport | None
    error: str
    seconds: float


def _job_info(job: JobStatus) -> JobInfo:
    current = job.current
    return JobInfo(
        id=job.id,
        project=job.project,
        state=job.state,
        inputs=job.inputs,
        stage=current.stage if current else "",
        done=current.done if current else 0,
        total=current.total if current else 0,
        stages=job.stages,
        skipped=job.skipped,
        report=job.report,
        error=job.error,
        seconds=round(job.seconds, 2),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TextIn:
    text: str
    title: str = ""


def create_app(settings: Settings | None = None, *, config: WebConfig | None = None) -> FastAPI:
    """The web app over the projects in ``config.data_dir``."""
    config = config or WebConfig()
    projects = Projects(config.data_dir, settings or Settings())
    app = FastAPI(
        title="newstrace",
        summary="Five articles are not five sources.",
        version=__version__,
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: /docs is our own page
        redoc_url=None,
    )
    app.state.projects = projects
    pages = _Pages(projects, config)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(ProjectError)
    async def _project_error(request: Request, exc: ProjectError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=exc.status)
        return pages.render("error.html.j2", status=exc.status, message=str(exc))

    _html_routes(app, pages)
    _api_routes(app, pages)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        spec = app.openapi()
        return pages.render(
            "docs.html.j2", ref=api_reference(spec), openapi_version=spec.get("openapi", "")
        )

    return app


class _Pages:
    """Shared by the routes: the projects, the limits and the page templates."""

    def __init__(self, projects: Projects, config: WebConfig) -> None:
        self.projects, self.config = projects, config
        self.env = Environment(
            loader=PackageLoader("newstrace.web", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(css=_css(), **values)
        return HTMLResponse(html, status_code=status)

    def project_page(self, name: str, *, job_id: str = "", error: str = "") -> HTMLResponse:
        """The project: its stories, the ingest ``job_id`` (if any) and every running one.

        While an ingest runs the page refreshes itself every second (a meta
        refresh: no script), showing stage, articles done and skipped files.
        """
        brief = self.projects.brief(name)
        job = self.projects.job(name, job_id) if job_id else None
        running = [j for j in self.projects.jobs(name) if j.active and j.id != job_id]
        return self.render(
            "project.html.j2",
            status=400 if error else 200,
            name=name,
            pages=story_pages(brief) if brief else [],
            articles=self.projects.article_count(name),
            job=job,
            running=running,
            refresh=bool(running) or bool(job and job.active),
            error=error,
            config=self.config,
        )

    async def read_uploads(self, files: list[UploadFile]) -> list[tuple[str, bytes]]:
        if len(files) > self.config.max_files:
            raise ProjectError(f"too many files: at most {self.config.max_files} per upload")
        out = []
        for upload in files:
            data = await upload.read(self.config.max_upload_bytes + 1)
            if len(data) > self.config.max_upload_bytes:
                raise ProjectError(
                    f"{upload.filename!r} is larger than {self.config.max_upload_bytes} bytes",
                    status=413,
                )
            out.append((upload.filename or "upload.txt", data))
        return out

    def saved_files(self, name: str, files: list[tuple[str, bytes]]) -> list[str]:
        """Save uploaded files in the project: the paths to ingest."""
        if not files:
            raise ProjectError("no file given")
        return self.projects.save_files(name, files)

    def saved_text(self, name: str, text: str, title: str = "") -> list[str]:
        """Save a pasted article in the project: the path to ingest."""
        if not text.strip():
            raise ProjectError("the pasted text is empty")
        if len(text) > self.config.max_paste_chars:
            raise ProjectError(
                f"the pasted text is longer than {self.config.max_paste_chars} characters",
                status=413,
            )
        body = f"{title.strip()}\n{text}" if title.strip() else text
        return self.saved_files(name, [("pasted.txt", body.encode("utf-8"))])

    def checked_urls(self, urls: str) -> list[str]:
        """The pasted URLs, if this server may fetch them."""
        listed = [u.strip() for u in urls.split() if u.strip()]
        if not self.config.allow_urls:
            raise ProjectError(
                "fetching URLs is disabled on this server (start it with --allow-urls)"
            )
        bad = [u for u in listed if not u.startswith(("http://", "https://"))]
        if bad or not listed:
            raise ProjectError("give one or more http(s) URLs")
        if len(listed) > self.config.max_files:
            raise ProjectError(f"too many URLs: at most {self.config.max_files}")
        return listed

    def ingest_now(self, name: str, inputs: list[str]) -> IngestReport:
        """Ingest and analyze in this request (the API's default)."""
        with self.projects.writing(name):
            return self.projects.ingest(name, inputs)

    def started(self, name: str, inputs: list[str]) -> Response:
        """Start a background ingest and send the browser to the project page that follows it."""
        job = self.projects.start_ingest(name, inputs)
        return RedirectResponse(f"/projects/{name}?job={job.id}", status_code=303)


@cache
def _css() -> Markup:
    """The brief's stylesheet (our own file, trusted), shared by the app's pages."""
    return Markup(files("newstrace.report").joinpath("templates/brief.css").read_text("utf-8"))


def _html_routes(app: FastAPI, pages: _Pages) -> None:
    projects = pages.projects

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        rows = [(n, projects.article_count(n)) for n in projects.names()]
        return pages.render("home.html.j2", projects=rows)

    @app.post("/projects", include_in_schema=False)
    def new_project(name: Annotated[str, Form()]) -> Response:
        projects.create(name.strip())
        return RedirectResponse(f"/projects/{name.strip()}", status_code=303)

    @app.get("/projects/{name}", response_class=HTMLResponse, include_in_schema=False)
    def project(name: str, job: Annotated[str, Query(max_length=40)] = "") -> HTMLResponse:
        return pages.project_page(name, job_id=job)

    @app.post("/projects/{name}/upload", include_in_schema=False)
    async def upload(name: str, files: Annotated[list[UploadFile], File()]) -> Response:
        projects.require(name)
        try:
            inputs = pages.saved_files(name, await pages.read_uploads(files))
        except ProjectError as exc:
            return pages.project_page(name, error=str(exc))
        return pages.started(name, inputs)

    @app.post("/projects/{name}/paste", include_in_schema=False)
    def paste(
        name: str,
        text: Annotated[str, Form()] = "",
        title: Annotated[str, Form()] = "",
        urls: Annotated[str, Form()] = "",
    ) -> Response:
        projects.require(name)
        try:
            if urls.strip():
                inputs = pages.checked_urls(urls)
            else:
                inputs = pages.saved_text(name, text, title)
        except ProjectError as exc:
            return pages.project_page(name, error=str(exc))
        return pages.started(name, inputs)

    @app.get(
        "/projects/{name}/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False
    )
    def story(name: str, story_id: str) -> HTMLResponse:
        brief = projects.brief(name, story_id)
        assert brief is not None
        return HTMLResponse(render_html(brief, back=f"/projects/{name}"))

    @app.get(
        "/projects/{name}/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False
    )
    def claim(name: str, claim_id: str) -> HTMLResponse:
        view = claim_view(_analysed(projects, name), claim_id, f"/projects/{name}")
        return pages.render("claim.html.j2", name=name, c=view)

    @app.get(
        "/projects/{name}/articles/{article_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    def article(name: str, article_id: str) -> HTMLResponse:
        brief = _analysed(projects, name)
        view = article_view(brief, article_id, f"/projects/{name}")
        return pages.render(
            "article.html.j2", name=name, a=view, segments=article_segments(brief, article_id)
        )

    @app.get("/projects/{name}/search", response_class=HTMLResponse, include_in_schema=False)
    def search(name: str, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
        found = search_brief(_analysed(projects, name), q, f"/projects/{name}")
        return pages.render("search.html.j2", name=name, q=q, found=found)


def _analysed(projects: Projects, name: str) -> Any:
    brief = projects.brief(name)
    if brief is None:
        raise ProjectError("this project has no analysis yet: add some articles", status=404)
    return brief


def _api_routes(app: FastAPI, pages: _Pages) -> None:
    projects = pages.projects

    def info(name: str) -> ProjectInfo:
        return ProjectInfo(
            name=name, articles=projects.article_count(name), stories=len(projects.stories(name))
        )

    @app.get("/api/projects", tags=["projects"])
    def list_projects() -> list[ProjectInfo]:
        """Every project, with its article and story counts."""
        return [info(n) for n in projects.names()]

    @app.post("/api/projects", tags=["projects"], status_code=201)
    def create_project(
        name: Annotated[str, Query(description="a slug: a-z, 0-9, - and _")],
    ) -> ProjectInfo:
        """Create a project (idempotent)."""
        return info(projects.create(name))

    @app.get("/api/projects/{name}", tags=["projects"])
    def get_project(name: str) -> ProjectInfo:
        projects.require(name)
        return info(name)

    @app.post(
        "/api/projects/{name}/files",
        tags=["ingest"],
        response_model=IngestReport,
        responses={202: {"model": JobInfo, "description": "with background=true: the job"}},
    )
    async def upload_files(
        name: str,
        files: Annotated[list[UploadFile], File()],
        background: Annotated[
            bool, Query(description="return a job at once and analyze in the background")
        ] = False,
    ) -> Any:
        """Upload article files (.txt, .md, .html, feeds, JSON/JSONL) and analyze them.

        Returns the ingest report when done, or with ``background=true`` a job
        to poll at ``/api/projects/{name}/jobs/{job_id}``.
        """
        projects.require(name)
        inputs = pages.saved_files(name, await pages.read_uploads(files))
        if background:
            job = projects.start_ingest(name, inputs)
            return JSONResponse(asdict(_job_info(job)), status_code=202)
        # the analysis runs in a worker thread: the event loop keeps serving readers
        return await run_in_threadpool(pages.ingest_now, name, inputs)

    @app.post("/api/projects/{name}/text", tags=["ingest"])
    def add_text(name: str, body: TextIn) -> IngestReport:
        """Add one article from pasted text (front matter allowed)."""
        projects.require(name)
        return pages.ingest_now(name, pages.saved_text(name, body.text, body.title))

    @app.get("/api/projects/{name}/jobs", tags=["ingest"])
    def list_jobs(name: str) -> list[JobInfo]:
        """The project's ingest jobs of this server run, newest first."""
        projects.require(name)
        return [_job_info(j) for j in projects.jobs(name)]

    @app.get("/api/projects/{name}/jobs/{job_id}", tags=["ingest"])
    def get_job(name: str, job_id: str) -> JobInfo:
        """One ingest job: state, current stage, items done/total, skipped files, report."""
        return _job_info(projects.job(name, job_id))

    @app.get("/api/projects/{name}/stories", tags=["briefs"])
    def list_stories(name: str) -> list[StoryInfo]:
        """The stories of the last analysis, biggest first."""
        brief = projects.brief(name)
        return [
            StoryInfo(
                id=p.story.id,
                title=p.story.title,
                articles=len(p.brief.articles),
                verdict=p.verdict.line(),
            )
            for p in (story_pages(brief) if brief else [])
        ]

    @app.get("/api/projects/{name}/brief", tags=["briefs"])
    def get_brief(name: str, story: str | None = None) -> dict[str, Any]:
        """The JSON brief (the public contract, ``schema_version`` 1), whole or for one story."""
        return _analysed_or_story(projects, name, story).to_dict()

    @app.get("/api/projects/{name}/search", tags=["briefs"])
    def search_api(name: str, q: Annotated[str, Query(max_length=200)]) -> dict[str, Any]:
        """Articles (title, outlet, text) and claims (statement, origins, mentions) with ``q``."""
        found = search_brief(_analysed(projects, name), q, f"/projects/{name}")
        return {k: [asdict(x) for x in v] for k, v in found.items()}


def _analysed_or_story(projects: Projects, name: str, story: str | None) -> Any:
    if story is None:
        return _analysed(projects, name)
    return projects.brief(name, story)
