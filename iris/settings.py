"""Django settings for Iris, read only from ``IRIS_*`` environment variables.

Every variable is documented in the README's configuration table. Parsing is strict:
a malformed value stops the process with a message naming the variable, it never
silently falls back to a default.
"""

from __future__ import annotations

import os
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError

from iris.ops.rates import PERIODS, allows_requests
from iris.ops.redact import masked

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env(expand_vars=False)
env.read_env(str(BASE_DIR / ".env"), recurse=False)

DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "pyamqp")
STORAGE_BACKENDS = ("local", "s3")


def _fail(name: str, problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}: {problem}")


_PRICED = ("characters", "input_tokens", "output_tokens")


def _read_prices(name: str) -> dict[str, dict[str, float]]:
    """A price table: {"engine" or "engine:model": {unit: USD per million}}."""
    try:
        table = env.json(name, {})
    except EnvError as exc:
        raise _fail(name, 'expected JSON, e.g. {"deepl": {"characters": 25}}') from exc
    if not isinstance(table, dict):
        raise _fail(name, "expected a JSON object of engines")
    prices: dict[str, dict[str, float]] = {}
    for key, rates in table.items():
        if not isinstance(rates, dict) or not set(rates) <= set(_PRICED):
            raise _fail(name, f"{key!r}: expected prices per million of {', '.join(_PRICED)}")
        if not all(isinstance(v, int | float) and v >= 0 for v in rates.values()):
            raise _fail(name, f"{key!r}: prices are numbers of US dollars, 0 or more")
        prices[str(key)] = {unit: float(value) for unit, value in rates.items()}
    return prices


def _read_rates(name: str) -> dict[str, float]:
    """Requests a second per engine: {"engine": rate} (an engine not named: no limit)."""
    try:
        table = env.json(name, {})
    except EnvError as exc:
        raise _fail(name, 'expected JSON, e.g. {"openai": 5}') from exc
    if not isinstance(table, dict) or not all(
        isinstance(v, int | float) and v >= 0 for v in table.values()
    ):
        raise _fail(name, "expected a JSON object of engines and requests a second (0 or more)")
    return {str(key): float(value) for key, value in table.items()}


def _read_days_by_kind(name: str) -> dict[str, int]:
    """Days per artifact kind: {"delivery": 90}. Kind names are checked by iris.E006
    (the artifact models cannot be imported from settings)."""
    try:
        table = env.json(name, {})
    except EnvError as exc:
        raise _fail(name, 'expected JSON, e.g. {"delivery": 90}') from exc
    if not isinstance(table, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in table.values()
    ):
        raise _fail(name, "expected a JSON object of artifact kinds and whole days (1 or more)")
    return {str(key): int(value) for key, value in table.items()}


def _read_networks(name: str) -> list[IPv4Network | IPv6Network]:
    try:
        values: list[str] = env.list(name, [])
        return [ip_network(str(value).strip(), strict=False) for value in values if value]
    except (EnvError, ValueError) as exc:
        raise _fail(name, "expected a comma-separated list of IP addresses or networks") from exc


def _read_rate(name: str, default: str) -> str:
    """A DRF throttle rate: N/second, N/minute, N/hour or N/day."""
    value = str(env.str(name, default)).strip()
    if not allows_requests(value):
        raise _fail(
            name, f"{value!r} is not a rate like 600/minute (1 or more per {', '.join(PERIODS)})"
        )
    return value


def _read_bool(name: str, default: bool) -> bool:
    try:
        return bool(env.bool(name, default))
    except EnvError as exc:
        raise _fail(name, "expected a boolean (true/false, 1/0, yes/no)") from exc


def _shown(number: float) -> str:
    """A number as a person reads it: 2,592,000, not 2.592e+06."""
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"


def _read_number(
    name: str, default: float, minimum: float, maximum: float | None = None, *, whole: bool = True
) -> float:
    """A number within [minimum, maximum]: an integer when ``whole``."""
    kind = "a whole number" if whole else "a number"
    allowed = f"{kind} from {_shown(minimum)}" + (
        f" to {_shown(maximum)}" if maximum is not None else " up"
    )
    try:
        value: float = env.int(name, int(default)) if whole else env.float(name, default)
    except EnvError as exc:
        raise _fail(name, f"{_raw(name)!r} is not {kind}; allowed: {allowed}") from exc
    if value < minimum or (maximum is not None and value > maximum):
        raise _fail(name, f"{_shown(value)} is out of range; allowed: {allowed}")
    return value


def _read_int(name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    return int(_read_number(name, default, minimum, maximum))


def _raw(name: str) -> str:
    return str(env.str(name, ""))


def _read_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = str(env.str(name, default)).strip()
    if not value:
        return value
    try:
        parts = urlsplit(value)
        valid = parts.scheme in schemes and bool(parts.netloc or parts.path) and parts.port != 0
    except ValueError:  # a port that is not a number, or out of range
        valid = False
    if not valid:
        raise _fail(
            name, f"{masked(value)!r} is not a URL with a scheme among {', '.join(schemes)}"
        )
    return value


def _read_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = str(env.str(name, default)).strip().lower()
    if value not in choices:
        raise _fail(name, f"{value!r} is not one of {', '.join(choices)}")
    return value


def _read_dir(name: str, default: Path, *, create: bool = False) -> Path:
    """A folder setting; ``create``: a folder every process writes into (the database,
    the logs), made here so that one that cannot be (a read-only or virtual file
    system such as /proc) is a configuration error, not a traceback later."""
    path = Path(str(env.str(name, str(default)))).expanduser()
    path = path if path.is_absolute() else (BASE_DIR / path)
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise _fail(name, f"{existing} is not a folder")
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _fail(name, f"the folder {path} cannot be created ({exc.strerror})") from None
    return path


def _database(url: str) -> dict[str, object]:
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url))
    except (ValueError, KeyError) as exc:
        raise _fail("IRIS_DATABASE_URL", f"{masked(url)!r} is not a database URL") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers (progress display, web) run while a job writes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.update(_pgbouncer_options() if IRIS_DB_PGBOUNCER else _pool_options())
    return config


def _pool_options() -> dict[str, object]:
    """Django's own psycopg 3 pool; persistent connections must stay off with it.
    The timeouts keep a dead server from hanging requests and health checks."""
    return {
        "CONN_MAX_AGE": 0,
        "OPTIONS": {
            "pool": {"min_size": 1, "max_size": IRIS_DB_POOL_SIZE, "timeout": 5},
            "connect_timeout": 3,
        },
    }


def _pgbouncer_options() -> dict[str, object]:
    """PgBouncer in transaction mode (deploy/pgbouncer.md): it lends a server connection
    for one transaction only, so nothing may outlive a transaction on it. No pool of
    our own (PgBouncer is the pool); no server-side cursors (``.iterator()`` outside a
    transaction declares a cursor WITH HOLD and fetches from it in later transactions,
    which may land on another server); no prepared statements (psycopg prepares a query
    run often enough, and PgBouncer before 1.21, or without max_prepared_statements,
    cannot follow them across servers). A connection to PgBouncer is cheap to keep: a
    minute, checked before reuse, so a restarted PgBouncer costs no failed request."""
    return {
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": True,
        "OPTIONS": {"prepare_threshold": None, "connect_timeout": 3},
    }


# --- core ---------------------------------------------------------------------------
IRIS_DEBUG = _read_bool("IRIS_DEBUG", False)
DEBUG = IRIS_DEBUG
IRIS_VAR_DIR = _read_dir("IRIS_VAR_DIR", BASE_DIR / "var", create=True)

SECRET_KEY = str(env.str("IRIS_SECRET_KEY", "")).strip()
if not SECRET_KEY:
    if not DEBUG:
        raise _fail(
            "IRIS_SECRET_KEY",
            "must be set when IRIS_DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)",
        )
    SECRET_KEY = "django-insecure-iris-debug-only-key"

try:
    ALLOWED_HOSTS: list[str] = list(env.list("IRIS_ALLOWED_HOSTS", ["localhost", "127.0.0.1"]))
except EnvError as exc:
    raise _fail("IRIS_ALLOWED_HOSTS", "expected a comma-separated list of host names") from exc

# --- database -----------------------------------------------------------------------
IRIS_DB_POOL_SIZE = _read_int("IRIS_DB_POOL_SIZE", 10, 1, 1000)
# PgBouncer in transaction mode between Iris and PostgreSQL: no client-side pool, no
# server-side cursors, no prepared statements or other session-level features.
IRIS_DB_PGBOUNCER = _read_bool("IRIS_DB_PGBOUNCER", False)
IRIS_DATABASE_URL = (
    _read_url("IRIS_DATABASE_URL", f"sqlite:///{IRIS_VAR_DIR / 'iris.sqlite3'}", DATABASE_SCHEMES)
    or f"sqlite:///{IRIS_VAR_DIR / 'iris.sqlite3'}"
)
DATABASES = {"default": _database(IRIS_DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- task execution -----------------------------------------------------------------
IRIS_ASYNC = _read_bool("IRIS_ASYNC", False)
IRIS_BROKER_URL = _read_url("IRIS_BROKER_URL", "", BROKER_SCHEMES)
IRIS_TASK_SOFT_TIME_LIMIT = _read_int("IRIS_TASK_SOFT_TIME_LIMIT", 600, 1)
IRIS_TASK_TIME_LIMIT = _read_int("IRIS_TASK_TIME_LIMIT", 660, 2)
IRIS_BROKER_VISIBILITY_TIMEOUT = _read_int("IRIS_BROKER_VISIBILITY_TIMEOUT", 3600, 1)
# The outbox (iris/jobs/outbox.py): a task held by a worker that stopped renewing its
# lease this long ago (killed) is sent again; workers sweep for such tasks, and for
# messages never sent or lost by the broker, this often.
IRIS_TASK_LEASE_SECONDS = _read_int("IRIS_TASK_LEASE_SECONDS", 60, 5)
IRIS_OUTBOX_SWEEP_SECONDS = _read_number("IRIS_OUTBOX_SWEEP_SECONDS", 5.0, 0.5, 600, whole=False)
IRIS_OUTBOX_RESEND_SECONDS = _read_int("IRIS_OUTBOX_RESEND_SECONDS", 30, 1)

# --- pipeline -----------------------------------------------------------------------
IRIS_ENGINES: list[str] = list(
    env.list(
        "IRIS_ENGINES",
        [
            "iris.engines.pseudo.PseudoEngine",
            "iris.engines.apertium.ApertiumEngine",
            "iris.engines.openai_chat.OpenAIEngine",
            "iris.engines.deepl_engine.DeepLEngine",
        ],
    )
)
IRIS_DEFAULT_ENGINE = env.str("IRIS_DEFAULT_ENGINE", "pseudo")
IRIS_APERTIUM_PATH = env.str("IRIS_APERTIUM_PATH", "apertium")
IRIS_APERTIUM_MODES = env.str("IRIS_APERTIUM_MODES", "/usr/share/apertium/modes")
IRIS_OPENAI_BASE_URL = env.str("IRIS_OPENAI_BASE_URL", "")
IRIS_OPENAI_API_KEY = env.str("IRIS_OPENAI_API_KEY", "")
IRIS_OPENAI_MODEL = env.str("IRIS_OPENAI_MODEL", "")
IRIS_PRICES = _read_prices("IRIS_PRICES")
IRIS_DEEPL_AUTH_KEY = env.str("IRIS_DEEPL_AUTH_KEY", "")
IRIS_DEEPL_SERVER_URL = env.str("IRIS_DEEPL_SERVER_URL", "")
IRIS_OPENAI_TIMEOUT = _read_number("IRIS_OPENAI_TIMEOUT", 120, 1, whole=False)
# Requests an engine has in flight at once for one batch, and its requests a second
# per worker process (shared by the threads of the process).
IRIS_ENGINE_CONCURRENCY = _read_int("IRIS_ENGINE_CONCURRENCY", 4, 1, 64)
IRIS_ENGINE_RATE_LIMITS = _read_rates("IRIS_ENGINE_RATE_LIMITS")
# The longest wait, in seconds, that an engine's Retry-After is honoured for: a longer
# one is cut to it (a service asking for an hour would hold the job that long, each time).
IRIS_ENGINE_MAX_RETRY_AFTER = _read_int("IRIS_ENGINE_MAX_RETRY_AFTER", 300, 1)
# A job's default budget in US dollars (0: none): the job pauses before a batch that
# would take its cost over it.
# Engine answers are cached this many days (a retried or resumed job never pays twice).
IRIS_ENGINE_CACHE_DAYS = _read_int("IRIS_ENGINE_CACHE_DAYS", 30, 1)
IRIS_DEFAULT_BUDGET = _read_number("IRIS_DEFAULT_BUDGET", 0.0, 0, whole=False)
# Translation memory: the lowest fuzzy score shown and sent to engines; which matches
# of promoted units are applied without the engine (context: 101 % only; exact: 100 %
# and 101 %; none); whether reviewed, QA-clean segments are promoted automatically
# (reviewed) or only by a manager (manual); the largest file `tm import` reads.
IRIS_TM_THRESHOLD = _read_int("IRIS_TM_THRESHOLD", 75, 50, 100)
IRIS_TM_APPLY = _read_choice("IRIS_TM_APPLY", "exact", ("context", "exact", "none"))
IRIS_TM_PROMOTE = _read_choice("IRIS_TM_PROMOTE", "manual", ("manual", "reviewed"))
IRIS_TM_IMPORT_MAX_MB = _read_int("IRIS_TM_IMPORT_MAX_MB", 1024, 1)
# Candidates a finished job left, unused this many days, are deleted by the maintenance
# tick (iris.memory.service.expire_candidates).
IRIS_TM_CANDIDATE_DAYS = _read_int("IRIS_TM_CANDIDATE_DAYS", 90, 1)
IRIS_BATCH_SEGMENTS = _read_int("IRIS_BATCH_SEGMENTS", 2000, 1)
IRIS_BATCH_CHARACTERS = _read_int("IRIS_BATCH_CHARACTERS", 50000, 1)
IRIS_BATCH_WINDOW = _read_int("IRIS_BATCH_WINDOW", 8, 1)
IRIS_RETENTION_DAYS = _read_int("IRIS_RETENTION_DAYS", 30, 1)
# Days kept per artifact kind, over IRIS_RETENTION_DAYS: {"delivery": 90, "source": 7}.
IRIS_RETENTION_DAYS_BY_KIND = _read_days_by_kind("IRIS_RETENTION_DAYS_BY_KIND")
IRIS_MAX_UPLOAD_MB = _read_int("IRIS_MAX_UPLOAD_MB", 256, 1, 4096)

# --- storage, search, legacy formats ------------------------------------------------
IRIS_STORAGE_BACKEND = _read_choice("IRIS_STORAGE_BACKEND", "local", STORAGE_BACKENDS)
IRIS_STORAGE_DIR = _read_dir("IRIS_STORAGE_DIR", IRIS_VAR_DIR / "artifacts")
# IRIS_STORAGE_BACKEND=s3: any S3-compatible service. Empty keys: boto3's own chain
# (instance role, AWS_* variables, ~/.aws).
IRIS_S3_BUCKET = str(env.str("IRIS_S3_BUCKET", "")).strip()
IRIS_S3_ENDPOINT_URL = _read_url("IRIS_S3_ENDPOINT_URL", "", ("http", "https"))
IRIS_S3_REGION = str(env.str("IRIS_S3_REGION", "us-east-1")).strip()
IRIS_S3_ACCESS_KEY_ID = str(env.str("IRIS_S3_ACCESS_KEY_ID", "")).strip()
IRIS_S3_SECRET_ACCESS_KEY = str(env.str("IRIS_S3_SECRET_ACCESS_KEY", "")).strip()
IRIS_S3_ADDRESSING_STYLE = _read_choice(
    "IRIS_S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")
)
# Signed download links on S3 answer with a redirect to a presigned URL of the object
# (valid IRIS_S3_PRESIGNED_SECONDS) instead of streaming it through the web process.
IRIS_S3_PRESIGNED_DOWNLOADS = _read_bool("IRIS_S3_PRESIGNED_DOWNLOADS", False)
IRIS_S3_PRESIGNED_SECONDS = _read_int("IRIS_S3_PRESIGNED_SECONDS", 60, 1, 3600)
IRIS_OPENSEARCH_URL = _read_url("IRIS_OPENSEARCH_URL", "", ("http", "https"))
# Where glossary terms are looked up: the database, or OpenSearch (needs IRIS_OPENSEARCH_URL).
GLOSSARY_BACKENDS = ("database", "opensearch")
IRIS_GLOSSARY_BACKEND = _read_choice("IRIS_GLOSSARY_BACKEND", "database", GLOSSARY_BACKENDS)
IRIS_ASPOSE_ENABLED = _read_bool("IRIS_ASPOSE_ENABLED", False)
IRIS_SOFFICE_PATH = str(env.str("IRIS_SOFFICE_PATH", "soffice"))
IRIS_CONVERSION_TIMEOUT = _read_number("IRIS_CONVERSION_TIMEOUT", 120.0, 1, whole=False)
# Derived data kept between runs (an uncompressed copy of the language model QA uses).
IRIS_CACHE_DIR = str(
    env.str(
        "IRIS_CACHE_DIR",
        str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iris"),
    )
)
IRIS_HEALTH_TIMEOUT = _read_number("IRIS_HEALTH_TIMEOUT", 3.0, 0.1, 60, whole=False)
# One run of the readiness checks answers every caller of a web process for this long
# (0: every request runs them): dependencies are probed at most once per interval.
IRIS_HEALTH_CACHE_SECONDS = _read_number("IRIS_HEALTH_CACHE_SECONDS", 2.0, 0, 300, whole=False)


def _storage(backend: str) -> dict[str, object]:
    if backend == "local":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(IRIS_STORAGE_DIR)},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": IRIS_S3_BUCKET,
            "endpoint_url": IRIS_S3_ENDPOINT_URL or None,
            "region_name": IRIS_S3_REGION or None,
            "access_key": IRIS_S3_ACCESS_KEY_ID or None,
            "secret_key": IRIS_S3_SECRET_ACCESS_KEY or None,
            "client_config": _s3_client_config(),
            # Names carry the content digest: an existing name holds the same bytes.
            "file_overwrite": True,
            "default_acl": None,
            "querystring_expire": IRIS_S3_PRESIGNED_SECONDS,
            # Objects read are spooled to disk above this size, never held whole.
            "max_memory_size": 8 * 2**20,
            "transfer_config": _s3_transfer_config(),
        },
    }


def _s3_client_config() -> object:
    """Addressing style and signature, and time limits shorter than botocore's 60 s: a
    storage that hangs fails the attempt in seconds, and iris/artifacts retries it
    (botocore's own quick retries stay)."""
    from botocore.config import Config

    style = None if IRIS_S3_ADDRESSING_STYLE == "auto" else IRIS_S3_ADDRESSING_STYLE
    return Config(
        s3={"addressing_style": style},
        signature_version="s3v4",
        connect_timeout=5,
        read_timeout=30,
    )


def _s3_transfer_config() -> object:
    """Parts downloaded (and uploaded) by a few threads, with a short queue of chunks
    waiting to be written: boto3's defaults (10 threads, 100 chunks queued) let the
    memory of one download grow with how far the writing thread falls behind, to 50 MB
    and more on a busy machine; these bound it near 12 MB whatever the timing."""
    from boto3.s3.transfer import TransferConfig

    return TransferConfig(max_concurrency=4, max_io_queue=16)


STORAGES = {
    "default": _storage(IRIS_STORAGE_BACKEND),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- API, downloads, audit -----------------------------------------------------------
# Signed download links (/d/<token>) live this long unless the request asks for less.
IRIS_DOWNLOAD_LINK_SECONDS = _read_int("IRIS_DOWNLOAD_LINK_SECONDS", 86400, 60, 30 * 86400)
# Proxies whose X-Forwarded-For is believed (the audit's source IP); nobody else's is.
IRIS_TRUSTED_PROXIES = _read_networks("IRIS_TRUSTED_PROXIES")
# Requests per API token (or per address without one).
IRIS_API_THROTTLE = _read_rate("IRIS_API_THROTTLE", "600/minute")
IRIS_API_PAGE_SIZE = _read_int("IRIS_API_PAGE_SIZE", 50, 1, 1000)
# Where the API's throttle counts (Django's cache): a Redis URL shares them between the
# web processes; empty keeps them in each process's memory (a limit per process).
IRIS_CACHE_URL = _read_url("IRIS_CACHE_URL", "", ("redis", "rediss"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": IRIS_CACHE_URL,
    }
    if IRIS_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- logging ------------------------------------------------------------------------
IRIS_LOG_DIR = _read_dir("IRIS_LOG_DIR", IRIS_VAR_DIR / "logs", create=True)
# text: one line per record; json: one JSON object per line, for log aggregators.
IRIS_LOG_FORMAT = _read_choice("IRIS_LOG_FORMAT", "text", ("text", "json"))

# --- operations -----------------------------------------------------------------------
# Beat runs maintenance_tick this often (iris/ops/maintenance.py).
IRIS_MAINTENANCE_SECONDS = _read_int("IRIS_MAINTENANCE_SECONDS", 300, 1, 86400)
# The tick compares storage with the artifact rows (a listing of the whole bucket) at
# most this often, and keeps its own summaries this many days.
IRIS_INTEGRITY_MINUTES = _read_int("IRIS_INTEGRITY_MINUTES", 60, 1, 10080)
IRIS_MAINTENANCE_KEEP_DAYS = _read_int("IRIS_MAINTENANCE_KEEP_DAYS", 30, 1)
# A job in one active state longer than this is reported stuck.
IRIS_STUCK_MINUTES = _read_int("IRIS_STUCK_MINUTES", 60, 1)
# Idempotency-Key answers are kept this long (then the tick deletes them).
IRIS_IDEMPOTENCY_HOURS = _read_int("IRIS_IDEMPOTENCY_HOURS", 24, 1)
# /metrics answers these addresses (or a request carrying IRIS_METRICS_TOKEN).
IRIS_METRICS_ALLOWED = _read_networks("IRIS_METRICS_ALLOWED") or [
    ip_network("127.0.0.1/32"),
    ip_network("::1/128"),
]
IRIS_METRICS_TOKEN = str(env.str("IRIS_METRICS_TOKEN", "")).strip()

# --- Django -------------------------------------------------------------------------
INSTALLED_APPS = [
    # Admin modules are discovered by iris/urls.py, not at start-up: the command line
    # and workers serve no pages and need not import them.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "iris.ops",
    "iris.governance",
    "iris.jobs",
    "iris.artifacts",
    "iris.memory",
    "iris.glossary",
    "iris.review",
    "iris.console",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "iris.api",
]

MIDDLEWARE = [
    "iris.ops.logging.RequestIdMiddleware",
    "iris.ops.migrations_gate.MigrationsGateMiddleware",  # 503 until `migrate` has run
    "django.middleware.security.SecurityMiddleware",
    # Static files (the API docs page) from the app folders, no collectstatic step.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "iris.urls"
WSGI_APPLICATION = "iris.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iris.console.access.permissions",
            ]
        },
    }
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:jobs"
# No STATIC_ROOT: WhiteNoise serves the apps' static folders as they are (finders), so
# there is no collectstatic step to forget.

# Celery reads its configuration from these names (see iris/celery.py).
CELERY_BROKER_URL = IRIS_BROKER_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not IRIS_ASYNC
CELERY_TASK_SOFT_TIME_LIMIT = IRIS_TASK_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = IRIS_TASK_TIME_LIMIT
# Pipeline state lives in the database, not in task results: pipeline tasks store none
# (a result on the broker would also make every task fail while the broker is away);
# only the health probe's echo does, kept in Redis when the broker is Redis, sent back
# over AMQP otherwise.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = (
    IRIS_BROKER_URL
    if IRIS_BROKER_URL.startswith("redis")
    else "rpc://"
    if IRIS_BROKER_URL
    else None
)
CELERY_RESULT_EXPIRES = 3600
# Workers (and senders) outlive a broker outage: they reconnect for as long as it lasts;
# what could not be sent meanwhile waits in the outbox (iris/jobs/outbox.py).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Redis redelivers a task a dead worker had taken only after this many seconds; keep
# it above the hard time limit so a running task is not delivered twice. Workers look
# for such tasks every 10 s (kombu's default throttle would make it every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": IRIS_BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_throttle": 1,
}

# A request body (an upload with its form fields) may be this large; Django holds
# an upload in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then spools it to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 2**20

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "iris.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["iris.api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["iris.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": IRIS_API_THROTTLE},
    "DEFAULT_PAGINATION_CLASS": "iris.api.pagination.Cursor",
    "PAGE_SIZE": IRIS_API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "iris.api.schema.IrisSchema",
    "EXCEPTION_HANDLER": "iris.api.problems.problem_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Iris API",
    "DESCRIPTION": "Translate Word documents with their formatting kept: jobs, their "
    "progress, segments and artifacts (signed download links), users, tokens, audit.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
WHITENOISE_USE_FINDERS = True

from iris.ops.logging import logging_config  # noqa: E402 - needs the values above

LOGGING = logging_config(IRIS_LOG_DIR, debug=DEBUG, log_format=IRIS_LOG_FORMAT)
