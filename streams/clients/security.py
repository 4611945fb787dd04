"""Broker security: SASL (PLAIN, SCRAM-SHA-256/512) and TLS for the Faust app and aiokafka clients.

Secrets come from the environment or a file (NEWSSTREAM_SASL_PASSWORD_FILE) and are
never logged: the settings hold them as `SecretStr`.

Example:
    >>> client_options(Settings(security_protocol="SASL_PLAINTEXT", sasl_username="u",
    ...                         sasl_password="p"))["sasl_plain_username"]
    'u'
"""

from __future__ import annotations

import ssl
from typing import Any

import faust
from aiokafka.conn import create_conn
from aiokafka.errors import AuthenticationFailedError, KafkaError, SaslAuthenticationFailed
from aiokafka.helpers import create_ssl_context

from streams.errors import ConfigError, NewsstreamError, RetriableError
from streams.settings import Settings


def sasl_password(settings: Settings) -> str | None:
    """The SASL password, from NEWSSTREAM_SASL_PASSWORD_FILE or NEWSSTREAM_SASL_PASSWORD."""
    if settings.sasl_password_file is not None:
        try:
            return settings.sasl_password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError("unreadable_secret", f"{settings.sasl_password_file}: {exc.strerror}") from exc
    return settings.sasl_password.get_secret_value() if settings.sasl_password else None


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A TLS context for SSL and SASL_SSL, verifying brokers against NEWSSTREAM_SSL_CAFILE."""
    if not settings.security_protocol.endswith("SSL"):
        return None
    try:
        context: ssl.SSLContext = create_ssl_context(
            cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None,
            certfile=str(settings.ssl_certfile) if settings.ssl_certfile else None,
            keyfile=str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
        )
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError("bad_tls_files", str(exc)) from exc
    return context


def _check(settings: Settings) -> None:
    if settings.security_protocol.startswith("SASL") and not settings.sasl_username:
        raise ConfigError("missing_credentials", "SASL needs NEWSSTREAM_SASL_USERNAME and a password")


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for aiokafka producers, consumers and admin clients."""
    _check(settings)
    options: dict[str, Any] = {"security_protocol": settings.security_protocol}
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.security_protocol.startswith("SASL"):
        options.update(
            sasl_mechanism=settings.sasl_mechanism,
            sasl_plain_username=settings.sasl_username,
            sasl_plain_password=sasl_password(settings),
        )
    return options


def faust_credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    """`broker_credentials` for the Faust app."""
    _check(settings)
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=sasl_password(settings),
            mechanism=settings.sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


async def connection_error(settings: Settings, exc: Exception) -> NewsstreamError:
    """The error to report when clients could not reach the brokers: a refused login says so.

    aiokafka reports a refused SASL login only as "Unable to bootstrap"; one direct
    connection to the first bootstrap server tells a wrong password from a broker that is down.
    """
    if settings.security_protocol.startswith("SASL"):
        host, _, port = settings.bootstrap_servers.split(",")[0].rpartition(":")
        try:
            conn = await create_conn(host, int(port), request_timeout_ms=10000, **client_options(settings))
        except (AuthenticationFailedError, SaslAuthenticationFailed) as auth:
            return ConfigError(
                "authentication_failed",
                f"{settings.sasl_mechanism} login as {settings.sasl_username!r} refused by {host}:{port} "
                f"({auth}); check NEWSSTREAM_SASL_USERNAME and NEWSSTREAM_SASL_PASSWORD[_FILE]",
            )
        except (KafkaError, OSError, TimeoutError):
            pass  # not an authentication problem: the broker is unavailable
        else:
            conn.close()
    return RetriableError("broker_unavailable", f"{settings.broker_url}: {exc}")
