"""One site per client: the whole portfolio, in parallel, or a deterministic shard of it.

Building each client's site on its own keeps the cost of a site flat however
large the practice grows: MkDocs renders the whole navigation into every
page, so one big site costs more per page as it grows. The portfolio is
validated once; each client's build then reads only that client's folders,
and a client whose inputs are byte for byte those of its last build is not
built again (its stamp, in ``OUT/.cxsite-stamps/``, says so).
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .errors import ErrorCollector, InputError, InputErrors
from .load import load_project
from .places import slugify
from .outputs import (
    PORTFOLIO, SITE, check_replaceable, os_problem, protected_paths, refuse_project_data, write_marker,
)
from .progress import A_FEW, Progress
from .resources import code_digest, package_folder

STAMPS = ".cxsite-stamps"


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> (2, 5): the second of five slices, 1-based."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise InputError("--shard", f"expected I/N such as 1/4, got {text!r}") from None
    if not (n >= 1 and 1 <= i <= n):
        raise InputError("--shard", f"expected I/N with 1 <= I <= N, got {text!r}")
    return i, n


def pick_shard(clients: list[str], shard: tuple[int, int] | None) -> list[str]:
    """Clients sorted by slug, dealt round-robin: the same slice on every machine."""
    ordered = sorted(clients, key=lambda c: (slugify(c), c))
    if shard is None:
        return ordered
    i, n = shard
    return [c for k, c in enumerate(ordered) if k % n == i - 1]


@dataclass
class ClientSite:
    client: str
    folder: Path
    built: bool  # False: unchanged since its last build, left as it was


def _hash_files(h, base: Path, paths) -> None:
    for path in sorted(paths):
        if path.is_file():
            h.update(str(path.relative_to(base)).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())


def shared_inputs(root: Path, pdf: bool, offline: bool, engine: str = "mkdocs") -> bytes:
    """A digest of what every client's site is built from besides its own engagements.

    The site's configuration, hand-written pages, templates and questionnaires,
    cxsite's code, data and packaged templates (:func:`cxsite.resources.code_files`,
    the list the results cache keys hash too), the built-in questionnaires, the
    versions of MkDocs, Material and the engine, and the build options. Conservative: a
    change to any of them rebuilds every client.
    """
    h = hashlib.sha256(f"pdf={pdf} offline={offline}\0".encode()
                       + (f"engine={engine}\0".encode() if engine != "mkdocs" else b""))
    for dist in ("mkdocs", "mkdocs-material", "numpy", "jinja2") + ((engine,) if engine != "mkdocs" else ()):
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none\0".encode())
    _hash_files(h, root, [root / "mkdocs.yml"])
    for folder in ("docs", "site_templates", "assessments", "benchmarks"):  # benchmarks: the norms reports name
        _hash_files(h, root, (root / folder).rglob("*"))
    h.update(b"code\0" + code_digest())
    # The built-in questionnaires: an engagement that names one is built from it.
    h.update(b"built-in\0")
    library = package_folder("assessments")
    _hash_files(h, library.parent, library.rglob("*"))
    return h.digest()


def client_stamp(shared: bytes, folders: list[Path]) -> str:
    """The stamp of one client's site: the shared inputs and every file of its engagement folders."""
    h = hashlib.sha256(shared)
    for folder in sorted(folders):
        h.update(folder.name.encode() + b"\0")
        _hash_files(h, folder, folder.rglob("*"))
    return h.hexdigest()


def client_slugs(clients: list[str]) -> dict[str, str]:
    """Each client's folder name; two clients whose names share a slug are refused."""
    slugs: dict[str, str] = {}
    for c in sorted(clients):
        slug = slugify(c)
        if slug in slugs.values():
            other = next(k for k, v in slugs.items() if v == slug)
            raise InputError("--all-clients", f"clients '{other}' and '{c}' share the folder name '{slug}'; "
                                              "rename one in its engagement.yml")
        slugs[c] = slug
    return slugs


def check_out_dir(root: Path, out: Path) -> None:
    """Refuse an --out folder that is, lies in or holds project data, or that cxsite did not make."""
    refuse_project_data(out, protected_paths(root), str(out), "the --out folder")
    check_replaceable(out.resolve(), PORTFOLIO, str(out))


def check_client_dirs(root: Path, out: Path, slugs: list[str], zipped: bool = False) -> None:
    """Every client's site folder (and zip), checked before any is built: all problems at once."""
    from .build import check_zip_target

    prot = protected_paths(root)
    errors = ErrorCollector()
    for slug in slugs:
        folder = out / slug
        try:
            refuse_project_data(folder, prot, str(folder), "the client's site folder")
            check_replaceable(folder.resolve(), SITE, str(folder))
            if zipped:
                check_zip_target(root, zip_path(folder))
        except InputError as exc:
            errors.extend([exc])
    errors.raise_if_any()


def zip_path(site: Path) -> Path:
    """Where a client's zipped site goes: ``<out>/<client-slug>.zip``, beside its folder."""
    return site.with_name(site.name + ".zip")


def _build_one(root: str, out: str, client: str, pdf: bool, offline: bool, folders: list[str],
               strict: bool = True, engine: str = "mkdocs") -> str:
    """Build one client's site; with ``offline`` (``--zip``), zip it beside its folder too."""
    from .build import build_site, write_zip

    build_site(Path(root), Path(out), client=client, pdf=pdf, offline=offline,
               folders=[Path(f) for f in folders], strict=strict, engine=engine)
    if offline:
        write_zip(Path(out), zip_path(Path(out)))
    return client


def _unchanged(out: Path, slug: str, stamp: str, zipped: bool = False) -> bool:
    """Whether a client's site was built from exactly these inputs; if not, its stamp goes."""
    stamp_file = out / STAMPS / slug
    if (stamp_file.is_file() and stamp_file.read_text() == stamp
            and (out / slug / "index.html").is_file()
            and (not zipped or zip_path(out / slug).is_file())):
        return True
    stamp_file.unlink(missing_ok=True)  # a build that fails or is killed leaves no stamp
    return False


def _run_builds(args: dict[str, tuple], jobs: int, done) -> list[tuple[str, Exception]]:
    """Build each client's site (``_build_one(*args[client])``), ``jobs`` at once; ``done(client)`` after each.

    Returns the clients whose input failed, with their errors: one client's
    bad input does not stop the others.
    """
    errors = []
    if jobs <= 1 or len(args) <= 1:
        for c in args:
            try:
                _build_one(*args[c])
                done(c)
            except (InputError, InputErrors) as exc:
                errors.append((c, exc))
        return errors
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_build_one, *args[c]): c for c in args}
        for f in as_completed(futures):
            try:
                f.result()
                done(futures[f])
            except (InputError, InputErrors) as exc:
                errors.append((futures[f], exc))
    return errors


def build_all_clients(root: Path, out: Path, jobs: int = 1, shard: tuple[int, int] | None = None,
                      pdf: bool = False, offline: bool = False, force: bool = False,
                      strict: bool = True, engine: str = "mkdocs") -> list[ClientSite]:
    """Build ``out/<client-slug>/`` for every client (of the shard) whose inputs changed.

    Every problem of the whole portfolio is reported before any site is
    touched. ``force`` builds every client, changed or not; ``engine`` builds each site.
    """
    from .cache import CACHE_DIR, Cache
    from .engines import check_engine
    from .results import Results

    check_out_dir(root, out)
    check_engine(engine)  # installed? Refused before any site is touched, naming the extra
    # Validated once for every client; what the cache knows is not read again.
    project = load_project(root, known=Results(Cache(root / CACHE_DIR)).known)
    # Slugs are checked across every client, not just this shard's: two clients
    # dealt to different machines would otherwise overwrite one folder.
    slugs = client_slugs(project.clients())
    clients = pick_shard(project.clients(), shard)
    check_client_dirs(root, out, [slugs[c] for c in clients], zipped=offline)
    folders = {c: sorted(str(e.folder) for e in project.engagements.values() if e.client == c) for c in clients}
    try:
        (out / STAMPS).mkdir(parents=True, exist_ok=True)
        write_marker(out, PORTFOLIO)
    except OSError as exc:
        raise os_problem(exc, str(out)) from None
    shared = shared_inputs(project.root, pdf, offline, engine)
    stamps = {c: client_stamp(shared, [Path(f) for f in folders[c]]) for c in clients}
    todo = [c for c in clients if force or not _unchanged(out, slugs[c], stamps[c], zipped=offline)]
    progress = Progress(len(todo), "building client sites", show=len(todo) > A_FEW)

    def done(c: str) -> None:
        try:
            (out / STAMPS / slugs[c]).write_text(stamps[c])
        except OSError as exc:
            raise os_problem(exc, str(out / STAMPS / slugs[c])) from None
        progress.step(c)

    args = {c: (str(project.root), str(out / slugs[c]), c, pdf, offline, folders[c], strict, engine) for c in todo}
    errors = _run_builds(args, jobs, done)
    if errors:
        raise InputErrors([InputError(f"client '{c}'", str(exc)) for c, exc in sorted(errors, key=lambda x: x[0])])
    return [ClientSite(c, out / slugs[c], c in todo) for c in clients]
