"""Docket's settings: one typed object, loaded once at the edge and passed in.

Sources, lowest priority first: defaults here, ``config/docket.toml`` (or the
file named by ``DOCKET_CONFIG``), then ``DOCKET_*`` environment variables
(``DOCKET_STORE=s3``, ``DOCKET_OCR_LANGUAGES='["vie","eng"]'``).  Relative
paths are resolved against the project root: the folder holding ``config/``.
Library code never reads the environment; it receives a ``Settings``.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
import warnings
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from kernel.errors import ConfigError
from kernel.model import REVIEW_CONFIDENCE as REVIEW_CONFIDENCE  # beside the fields it judges

# Lanes when ``ingest_lanes`` is unset and no Celery workers say how many slots they have.
DEFAULT_LANES = 2

CONFIG_ENV = "DOCKET_CONFIG"
DEFAULT_CONFIG = Path("config") / "docket.toml"
UiLanguage = Literal["vi", "en"]

_PATH_FIELDS = (
    "data_dir",
    "inbox",
    "store_path",
    "index_path",
    "reports_dir",
    "digests_dir",
)

# The one table of docket.toml that is not a flat key: ``[[tracking.units]]`` and
# ``overseers``, read into ``Settings.tracking_units`` and ``tracking_overseers``.
TRACKING_TABLE = "tracking"


class TrackingUnitSetting(BaseModel):
    """One ``[[tracking.units]]`` table as plain data; ``ingest.tracking.units`` checks
    the code and folder rules and builds its ``Unit`` from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    members: list[str] = []
    folder: str = ""
    emails: list[str] = []


# "register" is the name the issue and the environment use (DOCKET_REGISTER); it
# merely shadows ABCMeta.register on the class, which nothing here calls.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class Settings(BaseSettings):
    """Every knob Docket has.  See ``.env.example`` for one line on each."""

    model_config = SettingsConfigDict(env_prefix="DOCKET_", extra="forbid")

    # Where things live (relative paths are resolved against ``root``).
    root: Path = Field(default=Path("."), description="Project root; set by the loader.")
    data_dir: Path = Path("var")
    inbox: Path | None = None
    store_path: Path | None = None
    index_path: Path | None = None
    reports_dir: Path | None = None
    digests_dir: Path | None = None

    # Backends.
    store: Literal["local", "s3"] = "local"
    index: Literal["sqlite", "elasticsearch"] = "sqlite"
    register: Literal["sqlite", "postgresql"] = "sqlite"
    register_url: str | None = None

    # Watched folders.
    quiet_seconds: float = 5.0
    delete_after_success: bool = False
    # Lanes (ingest/pipeline/lanes.py): a claim puts complete files in a pool in
    # chunks of at most ``batch_size``, cut in whole rounds of the lanes so that they
    # end together (the group a lane takes at a time: a hint, not a unit of work;
    # a backlog's chunks before its last two rounds hold up to three times as many);
    # ``ingest_lanes`` lanes work the pool side by side (threads of
    # ``docket ingest``; on the stack, mapped tasks), each until the pool is empty
    # or ``lane_seconds`` are spent.  Unset, the lanes are the Celery worker slots
    # on the stack (asked of the workers at each claim) and ``DEFAULT_LANES`` elsewhere.
    batch_size: int = Field(default=20, ge=1)
    ingest_lanes: int | None = Field(default=None, ge=1)
    lane_seconds: float = Field(default=300.0, gt=0)

    # Per-file limits.
    file_timeout_seconds: float = 300.0
    file_memory_mb: int = 2048
    max_file_mb: int = 512
    max_pages: int = 2000
    max_image_pixels: int = 89_478_485  # Pillow's own default bomb limit
    workers: int = 0  # 0: one per CPU core

    # Fixity: the weekly check re-reads 1/fixity_slices of the archive each run.
    fixity_slices: int = Field(default=1, ge=1)

    # OCR.
    ocr_languages: list[str] = ["vie", "eng", "fra", "rus", "ces", "nor"]
    ocr_dpi: int = 300
    # Hand Tesseract the page in black and white (a third less CPU; see ingest/binarize.py).
    ocr_binarize: bool = True
    # Tesseract's language data folder (``--tessdata-dir``); unset: Tesseract's own
    # (the system packages).  A folder lacking a language of ``ocr_languages`` is
    # not used: the system's data is, with a warning.  ``bin/docket-tessdata``
    # fills one with the tessdata_best Vietnamese model, which was measured not
    # to read the real scans better (bench/extraction.py --real; docs/ocr-models.md).
    ocr_tessdata: Path | None = None
    # Pages scanned below this resolution are enlarged to it before OCR (0: never).
    ocr_upscale_dpi: int = Field(default=0, ge=0)
    # A page of pure black and white (a fax: grey paper dithered to dots) loses
    # its lone dots (ink pixels with at most one ink neighbour) before OCR.
    ocr_despeckle: bool = True
    # A grey scan rendered for OCR above the resolution it was scanned at (a 200 dpi
    # scan in a PDF, rendered at ocr_dpi) goes through a 3x3 median filter first.
    ocr_smooth_enlarged: bool = True
    # Print Tesseract's layout left unread (a line alone in white space, taken for
    # an image: a signer's name) is found with the read words blanked out and
    # read once more (ingest/extract/unread.py).
    ocr_reread_unread: bool = True
    ocr_page_timeout_seconds: float = 180.0
    min_text_chars_per_page: int = 20

    # Registration: the calendar year of a number is taken in this time zone.
    timezone: str = "Asia/Ho_Chi_Minh"
    ui_language: UiLanguage = "vi"
    # Key fields read with less confidence than this go to the review queue (ingest/review.py).
    review_confidence: float = Field(default=REVIEW_CONFIDENCE, ge=0.0, le=1.0)

    # Document tracking (ingest/tracking): default handling deadlines in working days
    # by urgency (HỎA TỐC: the registration day), the "due soon" window, the
    # holiday calendar (default: the one shipped with Docket) and the units.
    tracking_days_ordinary: int = Field(default=10, ge=0)
    tracking_days_urgent: int = Field(default=3, ge=0)  # KHẨN
    tracking_days_top_urgent: int = Field(default=1, ge=0)  # THƯỢNG KHẨN
    tracking_due_soon_days: int = Field(default=2, ge=0)
    tracking_holidays_file: Path | None = None
    tracking_units: list[TrackingUnitSetting] = []
    # User names who follow every unit's assignments read-only, within their
    # clearance (office managers): ``overseers = [...]`` under ``[tracking]``.
    tracking_overseers: list[str] = []
    # The office's leaders (lãnh đạo): they direct documents to units, as the records
    # office does, and follow every unit (a list of user names).
    tracking_leaders: list[str] = []
    # The daily deadline digests (docket_deadlines, ``docket tracking --digest``) list
    # documents up to this mark only: 0 (the default) keeps every secret document out
    # of files and e-mails that people without clearance may read.
    tracking_digest_max_secrecy: int = Field(default=0, ge=0, le=3)

    # S3 / MinIO.
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_bucket: str = "docket"
    s3_secure: bool = False
    s3_region: str | None = None
    s3_versioning: bool = False
    s3_object_lock: bool = False
    s3_retention_mode: Literal["GOVERNANCE", "COMPLIANCE"] = "GOVERNANCE"
    s3_retention_days: int = 3650
    s3_presign_minutes: int = 15
    s3_retries: int = 4

    # Elasticsearch.
    es_url: str = "http://127.0.0.1:9200"
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    es_verify_certs: bool = True
    es_index: str = "docket"

    # Web service.
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    web_secret_key: str = ""
    # TLS served by `docket serve` itself (both files, or neither: then TLS at a proxy).
    web_tls_certfile: Path | None = None
    web_tls_keyfile: Path | None = None
    # Reverse proxies (addresses or networks) whose X-Forwarded-For/-Proto are believed;
    # from anyone else the socket's address counts and those headers are ignored.
    web_trusted_proxies: list[str] = []
    # A session ends after this long unused, and this long after sign-in whatever happens.
    web_session_idle_minutes: float = Field(default=30.0, gt=0)
    web_session_max_hours: float = Field(default=8.0, gt=0)
    # Failed sign-ins allowed per window: per account (from any address) and per address
    # (over any user names); past either, sign-in waits until the window has moved on.
    web_login_window_minutes: float = Field(default=15.0, gt=0)
    web_login_account_failures: int = Field(default=5, ge=1)
    web_login_address_failures: int = Field(default=20, ge=1)

    @model_validator(mode="after")
    def _resolve_paths(self) -> Settings:
        root = self.root.resolve()
        self.root = root
        data_dir = self.data_dir if self.data_dir.is_absolute() else root / self.data_dir
        self.data_dir = data_dir
        defaults = {
            "inbox": data_dir / "inbox",
            "store_path": data_dir / "store",
            "index_path": data_dir / "index.sqlite",
            "reports_dir": data_dir / "reports",
            "digests_dir": data_dir / "digests",
        }
        for name, default in defaults.items():
            value = getattr(self, name)
            if value is None:
                setattr(self, name, default)
            elif not value.is_absolute():
                setattr(self, name, root / value)
        if self.register_url is None:
            self.register_url = f"sqlite:///{data_dir / 'register.sqlite'}"
        if (self.web_tls_certfile is None) != (self.web_tls_keyfile is None):
            raise ValueError("web_tls_certfile and web_tls_keyfile go together")
        for name in ("web_tls_certfile", "web_tls_keyfile", "tracking_holidays_file",
                     "ocr_tessdata"):
            value = getattr(self, name)
            if value is not None and not value.is_absolute():
                setattr(self, name, root / value)
        for proxy in self.web_trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"web_trusted_proxies: not an address or network: "
                                 f"{proxy!r}") from None
        if self.workers <= 0:
            self.workers = max(1, os.cpu_count() or 1)
        return self

    # One rule for names: a field keeps the name users write (DOCKET_STORE_PATH,
    # ``store_path = ...`` in docket.toml); code reads the resolved value through
    # ``<thing>_location``, never None, whether the thing is a folder, a file or a URL.
    @property
    def inbox_location(self) -> Path:
        assert self.inbox is not None
        return self.inbox

    @property
    def store_location(self) -> Path:
        assert self.store_path is not None
        return self.store_path

    @property
    def index_location(self) -> Path:
        assert self.index_path is not None
        return self.index_path

    @property
    def reports_location(self) -> Path:
        assert self.reports_dir is not None
        return self.reports_dir

    @property
    def digests_location(self) -> Path:
        assert self.digests_dir is not None
        return self.digests_dir

    @property
    def register_location(self) -> str:
        assert self.register_url is not None
        return self.register_url

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Explicit arguments win over the environment, which wins over the file
        # (the file's values arrive as init arguments of lower priority; see
        # ``load_settings``).
        return (init_settings, env_settings)


def find_config(explicit: Path | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """The config file to read: explicit, then ``$DOCKET_CONFIG``, then ./config/docket.toml."""
    env = os.environ if environ is None else environ
    if explicit is not None:
        return explicit
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    candidate = Path.cwd() / DEFAULT_CONFIG
    return candidate if candidate.is_file() else None


def _flat(values: dict[str, Any], path: Path) -> dict[str, Any]:
    """The file's values with its ``[tracking]`` table as ``tracking_units`` and
    ``tracking_overseers``."""
    tracking = values.pop(TRACKING_TABLE, None)
    if tracking is None:
        return values
    if not isinstance(tracking, dict) or set(tracking) - {"units", "overseers", "leaders"}:
        raise ConfigError(f"{path}: the [tracking] table holds only [[tracking.units]], "
                          f"overseers and leaders; the other tracking settings are "
                          f"tracking_* keys")
    values.setdefault("tracking_units", tracking.get("units", []))
    for key in ("overseers", "leaders"):
        if key in tracking:
            values.setdefault(f"tracking_{key}", tracking[key])
    return values


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Load settings once: file, then environment, then ``overrides``.

    Raises ``ConfigError`` with a readable message when anything is wrong.
    """
    path = find_config(config)
    file_values: dict[str, Any] = {}
    root = Path.cwd()
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        try:
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
        file_values = _flat(dict(file_values.get("docket", file_values)), path)
        resolved = path.resolve()
        root = resolved.parent.parent if resolved.parent.name == "config" else resolved.parent
    env_keys = {k[len("DOCKET_"):].lower() for k in os.environ if k.startswith("DOCKET_")}
    # The file's values apply only where the environment says nothing.
    merged = {k: v for k, v in file_values.items() if k not in env_keys}
    merged.setdefault("root", root)
    merged.update(overrides)
    try:
        return Settings(**merged)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
