"""The command line: parse options, call the library, print.

Heavy libraries (WeasyPrint, pandoc wrappers) are imported inside the
commands that need them, so ``publish --help`` stays fast.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from .errors import PublishError
from .render import NAMED as FORMATS


class _Group(click.Group):
    """Turns PublishError into one line and exit 1; a traceback only with --debug."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PublishError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"publish: {exc}", err=True)
            ctx.exit(1)
        except OSError as exc:
            # a full disk or a read-only folder met where no write_atomic
            # stood guard (a renderer writing its own file): still one line
            from .files import ENVIRONMENT_ERRNOS, cannot_write
            if exc.errno not in ENVIRONMENT_ERRNOS or (ctx.obj and ctx.obj.get("debug")):
                raise
            click.echo(f"publish: {cannot_write(exc)}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("publish: interrupted", err=True)
            ctx.exit(130)


def _completer(names_of):
    """A ``shell_complete`` callback offering the names ``names_of(project)``
    lists in the project the command line names (-C) or the current folder
    is in, less those already typed."""
    def complete(ctx, param, incomplete):
        from click.shell_completion import CompletionItem
        from . import config
        try:
            project = config.load(ctx.find_root().params.get("root"))
            names = list(names_of(project))
        except Exception:   # outside a project, or a publish.yml half edited: a shell prints nothing
            return []
        typed = ctx.params.get(param.name) or ()
        typed = typed if isinstance(typed, (list, tuple)) else (typed,)
        return [CompletionItem(n) for n in names if n.startswith(incomplete) and n not in typed]
    return complete


def _edition_names(project):
    from .build import edition_languages
    return edition_languages(project)


_DOCUMENTS = _completer(lambda project: [d.name for d in project.documents])
_EDITIONS = _completer(_edition_names)
_LANGUAGES = _completer(lambda project: project.target_languages)


def _check_names(ctx, param, incomplete):
    from click.shell_completion import CompletionItem
    from .check import CHECKS
    return [CompletionItem(n) for n in CHECKS if n.startswith(incomplete)]


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """"1 output", "2 outputs": every summary line counts with this."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _project(ctx):
    from . import config
    return config.load(ctx.obj["root"])


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project folder (default: the nearest folder with publish.yml).")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="publish")
@click.pass_context
def main(ctx, root, debug):
    """publish — a bilingual publishing and translation pipeline.

    Typical day: `publish update` after the source changes, translators edit
    translations/<lang>/<doc>.po, `publish status` to see progress,
    `publish build` for the editions in build/.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(root=root, debug=debug)


@main.command()
@click.option("-v", "--verbose", is_flag=True, help="Report what normalisation changed, line by line.")
@click.option("--keep-going", is_flag=True,
              help="A picture that cannot be found is a warning, not an error.")
@click.argument("documents", nargs=-1, shell_complete=_DOCUMENTS)
@click.pass_context
def update(ctx, verbose, keep_going, documents):
    """Extract units from the sources and update the catalogs.

    Writes translations/templates/<doc>.pot and merges it into
    translations/<lang>/<doc>.po for every target language. Translations are
    never lost: changed units become fuzzy, removed ones obsolete (#~).
    """
    from . import normalize
    from .update import update as run
    project = _project(ctx)

    def waiting():
        click.echo("publish: another publish update is running in this project; waiting for it to end", err=True)

    from .titles import entries as title_entries
    for result in run(project, list(documents) or None, on_wait=waiting, keep_going=keep_going):
        # units as status and the colophon count them: the template's entries (a passage
        # the text repeats is one entry, translated once), the title and the rest included
        heads = len(title_entries(project, project.document(result.document)))
        click.echo(f"{result.document}: {_count(result.entries, 'unit')} in the template "
                   f"({result.entries - heads} from the text, {heads} from publish.yml)")
        for notice in result.notices:
            click.echo(f"publish: {project.document(result.document).relsource}: notice: {notice}", err=True)
        for warning in result.warnings:
            click.echo(f"publish: {warning}", err=True)
        for path in result.written:
            click.echo(f"  wrote {path}")
        for path in result.unchanged:
            if verbose:
                click.echo(f"  unchanged {path}")
        for path, kinds in result.carried.items():
            for kind, why in (("normalisation", "only by normalisation"),
                              ("targets", "only in link or picture targets")):
                if kinds.get(kind):
                    click.echo(f"  {path}: carried over {_count(kinds[kind], 'translation')} "
                               f"whose source changed {why}")
        if result.normalized:
            totals: dict[str, int] = {}
            for ch in result.normalized:
                totals[ch.rule] = totals.get(ch.rule, 0) + ch.count
            summary = ", ".join(f"{normalize.DESCRIPTIONS[r]}: {n}" for r, n in totals.items())
            click.echo(f"  normalised: {summary}")
            if verbose:
                src = project.document(result.document).relsource
                for ch in result.normalized:
                    click.echo(f"    {src}:{ch.line}: {normalize.DESCRIPTIONS[ch.rule]} ×{ch.count}  «{ch.before}»")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--html", "as_html", is_flag=True,
              help="Also write build/status.html: progress bars and a map of each document by unit state.")
@click.argument("documents", nargs=-1, shell_complete=_DOCUMENTS)
@click.pass_context
def status(ctx, as_json, as_html, documents):
    """Translation progress per document and language."""
    from .status import collect
    project = _project(ctx)
    rows = collect(project, list(documents) or None)
    if as_html:
        from .render import status as status_page
        written = status_page.write(project, status_page.collect(project, list(documents) or None))
        click.echo(f"wrote {written.relative_to(project.root)}", err=as_json)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    console = Console()
    console.print(_status_table(rows, console.width))
    for r in rows:
        click.echo(r.note())


_STATUS_COLUMNS = ("document", "language", "units", "translated", "fuzzy", "untranslated", "words")
_STATUS_GAP = 2     # spaces between columns
_STATUS_BAR_MIN = len("progress")


def _status_table(rows, width: int):
    """The status table in ``width`` columns: no rules between columns, every
    header whole (rich cut "translated" to "transla…" at 80 columns), and
    the progress bar taking what is left, so a wide terminal gets a long bar
    and a narrow one none (the percentages follow the table)."""
    from rich import box
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    cells = [[r.document, r.language, str(r.stats.units), str(r.stats.translated), str(r.stats.fuzzy),
              str(r.stats.untranslated), f"{r.stats.words_translated}/{r.stats.words}"] for r in rows]
    widths = [max([len(name), *(len(c[i]) for c in cells)]) for i, name in enumerate(_STATUS_COLUMNS)]
    left = width - sum(widths) - _STATUS_GAP * len(widths)
    bar = left >= _STATUS_BAR_MIN
    table = Table(title="Translation status", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=(0, _STATUS_GAP - 1, 0, 0), expand=bar)
    for name, w in zip(_STATUS_COLUMNS, widths):
        table.add_column(name, justify="left" if name in ("document", "language") else "right",
                         min_width=w, no_wrap=name != "document", overflow="fold")
    if bar:
        table.add_column("progress", ratio=1, min_width=_STATUS_BAR_MIN)
    for r, c in zip(rows, cells):
        table.add_row(*c, *([ProgressBar(total=max(r.stats.units, 1), completed=r.stats.translated, width=None)]
                            if bar else []))
    return table


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text",
              show_default=True,
              help="text: a line per finding; json: for scripts; junit: JUnit XML for CI test reports "
                   "(a test case per check per catalog); github: workflow commands that annotate "
                   "the PO lines of a pull request.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable findings (--format json).")
@click.option("--strict", is_flag=True, help="Exit 1 on any finding, warnings included.")
@click.option("-l", "--language", "languages", multiple=True, shell_complete=_LANGUAGES,
              help="Only this target language; repeatable.")
@click.option("-c", "--check", "only", multiple=True, shell_complete=_check_names,
              help="Only this check; repeatable.")
@click.argument("documents", nargs=-1, shell_complete=_DOCUMENTS)
@click.pass_context
def check(ctx, fmt, as_json, strict, languages, only, documents):
    """Check translations: numbers, glossary, markup, leftover script, …

    Silence one check for one unit with a PO flag (#, no-check-NAME) or a
    translator comment (# check: ignore NAME); bidi cannot be silenced, and
    what is silenced is counted. Errors exit 1; with --strict
    warnings (untranslated, fuzzy, length) do too, whatever the format.
    """
    from . import check as checks
    from .check import CHECKS, check_project
    project = _project(ctx)
    unknown = [c for c in only if c not in CHECKS]
    if unknown:
        raise click.UsageError(f"unknown check {unknown[0]!r}; checks: {', '.join(CHECKS)}")
    if as_json:
        if fmt not in ("text", "json"):
            raise click.UsageError("--json is --format json; give one format")
        fmt = "json"
    quiet: list = []
    catalogs: list[str] = []
    findings = check_project(project, list(documents) or None, list(languages) or None, list(only) or None,
                             silenced_out=quiet, catalogs_out=catalogs)
    if quiet and fmt != "json":   # a reviewer must see how much translators turned off
        click.echo(f"{_count(len(quiet), 'finding')} silenced by translators' comments and flags", err=True)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    elif fmt == "junit":
        click.echo(checks.junit(findings, catalogs, list(only) or list(CHECKS), strict, quiet), nl=False)
    elif fmt == "github":
        click.echo(checks.github(findings, strict), nl=False)
    else:
        for f in findings:
            click.echo(f"{f.path}:{f.line}: {f.severity}: [{f.check}] {f.message}")
        errors = sum(f.severity == "error" for f in findings)
        click.echo(f"{_count(len(findings), 'finding')} ({_count(errors, 'error')})" if findings else "no findings",
                   err=True)
    if any(f.severity == "error" for f in findings) or (strict and findings):
        ctx.exit(1)


@main.command("glossary")
@click.option("--tbx", "tbx", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the glossary as TBX-Basic to this file ('-' for standard output).")
@click.pass_context
def glossary_cmd(ctx, tbx):
    """Show the glossary, or export it as TBX for CAT tools and Weblate."""
    from . import glossary
    from .files import write_atomic
    project = _project(ctx)
    terms = glossary.load(project.glossary_path, project.source_language, project.normalize)
    if tbx is not None:
        text = glossary.to_tbx(terms, project.source_language)
        if str(tbx) == "-":
            click.echo(text, nl=False)
        else:
            write_atomic(tbx, text)
            click.echo(f"wrote {tbx} ({_count(len(terms), 'term')})")
        return
    for t in sorted(terms, key=lambda t: t.line):
        targets = "; ".join(f"{l}: {v}" for l, v in t.targets.items())
        click.echo(f"{t.term} → {targets}" + (f"  [{t.pos}]" if t.pos else ""))


@main.command()
@click.option("-e", "--edition", "editions", multiple=True, shell_complete=_EDITIONS,
              help="Only this edition (fa, en, fa-en …); repeatable.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only this format; repeatable. booklet (the PDF imposed two-up for an office printer, "
                   "<document>.booklet.pdf) is made only when named.")
@click.option("--strict", is_flag=True, help="Fail if any unit is untranslated or fuzzy.")
@click.option("--min-translated", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
              help="Build a language's editions only when at least PERCENT of its units are translated "
                   "(as publish status counts them); the others are named and skipped, and the build "
                   "exits 0. The source's edition is always built.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say what was rendered and why, and what was skipped.")
@click.option("--force", is_flag=True, help="Render everything again, even what is up to date.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Outputs rendered at once (default: one per core).")
@click.option("--keep-going", is_flag=True,
              help="Build even when a picture cannot be found: its description is shown, marked.")
@click.argument("documents", nargs=-1, shell_complete=_DOCUMENTS)
@click.pass_context
def build(ctx, editions, formats, strict, min_translated, quiet, verbose, force, jobs, keep_going, documents):
    """Assemble the editions into build/<edition>/<document>.<format>.

    Only outputs whose inputs changed are rendered again; they render side by
    side, one per core. Untranslated and fuzzy units are printed in the
    original and marked, unless --strict is given. -f booklet imposes each
    PDF two-up in saddle-stitch order (rendering the PDF if needed).
    """
    import sys
    from .build import build as run
    project = _project(ctx)
    view = _BuildView(quiet, verbose, live=not quiet and sys.stdout.isatty())
    groups, held = _held_back(project, list(editions), list(documents), min_translated)
    try:
        result = None
        for chosen, docs in groups:   # one build, unless documents hold back different languages
            part = run(project, chosen, list(formats) or None, docs,
                       strict=strict, on_output=view.done, force=force, jobs=jobs,
                       on_plan=view.plan, on_start=view.start, keep_going=keep_going)
            view.stop()
            if result is None:
                result = part
            else:
                result.outputs += part.outputs
                result.progress.update(part.progress)
                result.notices += part.notices
                result.warnings += part.warnings
    finally:
        view.stop()
    if result is None:   # every edition asked for is held back
        from .build import BuildResult
        result = BuildResult()
    from .status import percent
    for (doc, lang), (stats, names) in sorted(held.items()):
        # held back as po4a's --keep holds back a translation: the policy working, not a
        # failure, so the build exits 0 and the languages over the threshold are published
        click.echo(f"publish: {doc} {lang}: {percent(stats)}% translated, under --min-translated "
                   f"{min_translated:g}%: the {' and '.join(names)} edition{'s are' if len(names) > 1 else ' is'} "
                   f"not built", err=True)
    for notice in result.notices:
        click.echo(f"publish: {notice}", err=True)
    for warning in result.warnings:
        click.echo(f"publish: {warning}", err=True)
    # the status page reads every catalog and runs the checks (a second for the
    # report, seconds at 100×): by a whole build that did something, so a no-op
    # build stays a no-op and `-e en -f html` stays quick
    status_page = project.build_dir / "status.html"
    whole = not (editions or formats or documents)
    if whole and (any(o.rendered for o in result.outputs) or not status_page.exists()):
        from .render import status as status_render
        if status_render.write(project) and verbose:
            click.echo(f"  wrote {status_page.relative_to(project.root)}")
    # build/index.html, every file for the press's web site with its size: by a
    # whole build (as the status page), and by any build that rendered while
    # there is one, so that its sizes stay those of the files
    index_page = project.build_dir / "index.html"
    rendered = any(o.rendered for o in result.outputs)
    if (whole and not index_page.exists()) or (rendered and (whole or index_page.exists())):
        from .render import index
        index.write(project)
        if verbose:
            click.echo(f"  wrote {index_page.relative_to(project.root)}")
    if not quiet:
        skipped = sum(not o.rendered for o in result.outputs)
        if skipped:
            click.echo(f"nothing to do: {_count(skipped, 'output')} up to date" if skipped == len(result.outputs)
                       else f"{_count(skipped, 'output')} up to date")
        for (doc, lang), p in sorted(result.progress.items()):   # as status and the colophon say it
            note = f"{doc} {lang}: {percent(p)}% translated ({p.translated} of {_count(p.units, 'unit')})"
            if p.untranslated or p.fuzzy:
                note += f"; {p.untranslated} untranslated and {p.fuzzy} fuzzy shown in the original"
            click.echo(note)


def _held_back(project, editions: list[str], documents: list[str], threshold: float | None):
    """What ``build --min-translated`` asks ``build.build`` for: groups of
    (editions, documents) to build, documents holding back the same
    languages together (so usually one build), and for each translation
    under ``threshold`` (``status.held_back``: counted as status counts)
    its counts and the editions asked for that are not built.  The source's
    edition is never held back."""
    if threshold is None:
        return [(editions or None, documents or None)], {}
    from .build import edition_languages, edition_name
    from .status import held_back
    under = held_back(project, threshold, documents or None)
    known = edition_languages(project)
    named = {edition_name(project, n, known) for n in editions}
    asked = {n: langs for n, langs in known.items() if not editions or n in named}
    groups: dict[tuple[str, ...], list[str]] = {}
    held: dict = {}
    for doc in documents or [d.name for d in project.documents]:
        keep = []
        for name, langs in asked.items():
            out = [l for l in langs if (doc, l) in under]
            for l in out:
                held.setdefault((doc, l), (under[(doc, l)], []))[1].append(name)
            if not out:
                keep.append(name)
        groups.setdefault(tuple(keep), []).append(doc)
    return [(list(keep), docs) for keep, docs in groups.items() if keep], held


class _BuildView:
    """What ``publish build`` shows: on a terminal a bar per output being
    rendered (rich, imported only when there is something to render); else a
    line per output written, which is what logs and tests read."""

    def __init__(self, quiet: bool, verbose: bool, live: bool):
        self.quiet, self.verbose, self.live = quiet, verbose, live
        self.progress = None
        self.tasks: dict[str, int] = {}

    def plan(self, planned):
        if not self.live or all(p.reason is None for p in planned):
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        self.progress = Progress(TextColumn("{task.fields[status]:<10}"), BarColumn(bar_width=24),
                                 TextColumn("{task.description}"), TimeElapsedColumn())
        for p in planned:
            if p.reason is not None:
                self.tasks[p.path] = self.progress.add_task(p.path, total=1, start=False, status="queued")
        self.progress.start()

    def start(self, p):
        if self.progress:
            task = self.tasks[p.path]
            self.progress.start_task(task)
            self.progress.update(task, total=None, status="rendering")

    def done(self, out):
        if self.quiet:
            return
        if not out.rendered:
            line = f"  up to date {out.path}" if self.verbose else None
        else:
            line = f"  {'wrote' if out.written else 'unchanged'} {out.path}"
            if self.verbose:
                line += f" ({out.reason})"
        if self.progress and out.path in self.tasks:
            self.progress.update(self.tasks[out.path], total=1, completed=1,
                                 status="wrote" if out.written else "unchanged")
            if self.verbose and line:
                self.progress.console.print(line.strip(), highlight=False)
        elif line and not self.live or (line and self.verbose):
            click.echo(line)

    def stop(self):
        if self.progress:
            self.progress.stop()
            self.progress = None


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--title", help="The project's title (default: the folder's name).")
@click.option("-s", "--source-language", "source", default="fa", show_default=True, help="The language of the sources.")
@click.option("-l", "--language", "languages", multiple=True,
              help="A target language; repeatable (default: en).")
@click.option("--force", is_flag=True, help="Write into a folder that has some of the files; keep those.")
@click.pass_context
def init_cmd(ctx, directory, title, source, languages, force):
    """Start a new project in DIRECTORY (default: the -C folder, else the
    current one): publish.yml (with comments), source/, translations/,
    .gitignore and a Makefile.

    `publish update && publish build` work in it at once; `publish import
    FILE` then brings in your first document in place of the example.
    """
    import shlex
    from .scaffold import init, language_options
    # checked here too, to name the options; nothing is written before
    source, targets = language_options(source, tuple(languages) or ("en",),
                                       ("-s/--source-language", "-l/--language"))
    directory = directory or ctx.obj["root"] or Path(".")
    result = init(directory, title, source, targets, force=force)
    here = directory.resolve() == Path.cwd().resolve()
    # the folder by its full name when it is this one: "wrote ./publish.yml"
    # does not say where, and "cd ." is no step
    click.echo(f"new project in {directory.resolve()}" + (" (this folder)" if here else ""))
    for name in result.written:
        click.echo(f"  wrote {name if here else directory / name}")
    steps = "publish import YOUR-DOCUMENT.docx && publish update && publish serve"
    click.echo(f"next: {steps}" if here else f"next: cd {shlex.quote(str(directory))} && {steps}")


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-n", "--name", help="The document's name (default: from the file name).")
@click.option("--force", is_flag=True, help="Replace the source of an existing document of that name.")
@click.option("-v", "--verbose", is_flag=True, help="Report what normalisation will change, line by line.")
@click.option("--strict", is_flag=True,
              help="Refuse, and write nothing, when anything holding words would be dropped.")
@click.pass_context
def import_cmd(ctx, file, name, force, verbose, strict):
    """Add a .docx, .odt, .md, .html or .txt file to the project as
    source/<lang>/<name>.md and list it in publish.yml.

    Headings, lists, emphasis, footnotes, tables and images survive; run
    `publish update` next to extract its units into the catalogs.
    """
    from . import normalize
    from .importer import import_file
    project = _project(ctx)
    result = import_file(project, file, name, force, strict=strict)
    if result.notice:
        click.echo(f"publish: {file}: notice: {result.notice}", err=True)
    for warning in result.warnings:
        click.echo(f"publish: {warning}", err=True)
    for d in result.dropped:
        where = f"{file}:{d.line}" if d.line else str(file)
        click.echo(f"publish: {where}: {'warning: ' if d.words else ''}{d}", err=True)
    click.echo(f"wrote {result.relsource}")
    for m in result.media:
        click.echo(f"  image {m.relative_to(project.root)}")
    if result.replaced:
        click.echo(f"  replaces the example document {result.replaced!r} in publish.yml")
    elif result.registered:
        click.echo(f"  added document {result.name!r} to publish.yml")
    if result.metadata:
        click.echo(f"  with its {', '.join(result.metadata)} from the file (edit them in publish.yml)")
    for note in result.notes:
        click.echo(f"  simplified: {note}")
    if result.normalized:
        totals: dict[str, int] = {}
        for ch in result.normalized:
            totals[ch.rule] = totals.get(ch.rule, 0) + ch.count
        click.echo("  normalisation will change: " + ", ".join(f"{normalize.DESCRIPTIONS[r]}: {n}" for r, n in totals.items()))
        if verbose:
            for ch in result.normalized:
                click.echo(f"    {result.relsource}:{ch.line}: {normalize.DESCRIPTIONS[ch.rule]} ×{ch.count}  «{ch.before}»")
    else:
        click.echo("  normalisation will change nothing")
    click.echo(f"next: publish update {result.name}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface — anyone on the network can read the editions).")
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.pass_context
def serve(ctx, host, port):
    """Live preview for translators: serves the HTML editions and rebuilds
    them when a source, a catalog or publish.yml changes; open pages reload
    by themselves. Click a sentence to see its PO file, line and msgid.
    """
    from .config import find_root
    from .serve import serve as run
    root = find_root(ctx.obj["root"])

    def ready(url):
        click.echo(f"Serving the preview on {url} (Ctrl-C stops)")
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"publish: listening on {host}: anyone who can reach this machine can read the editions",
                       err=True)
        import sys
        sys.stdout.flush()

    try:
        run(root, host, port, on_ready=ready)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell):
    """Print the shell completion script for SHELL.

    bash: eval "$(publish completion bash)" in ~/.bashrc;
    zsh: eval "$(publish completion zsh)" in ~/.zshrc.
    """
    from click.shell_completion import get_completion_class
    cls = get_completion_class(shell)
    comp = cls(main, {}, "publish", "_PUBLISH_COMPLETE")
    click.echo(comp.source())


if __name__ == "__main__":  # pragma: no cover
    main()
