import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "HTTPS",
            "STATIC_MANIFEST",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603  # fixed arguments
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_check({"ALLOWED_HOSTS": "puente.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check_with_zero_warnings():
    result = _run_check(
        {
            "SECRET_KEY": "k" * 20 + "-production-like-secret-0123456789-abcdefgh",
            "ALLOWED_HOSTS": "puente.example.org",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("debug", ["1", "true"])
def test_debug_runs_without_a_secret_key(debug):
    result = _run_check({"DEBUG": debug})
    assert result.returncode == 0, result.stderr


def _settings_print(
    code: str, env_overrides: dict[str, str], unset: set[str]
) -> subprocess.CompletedProcess[str]:
    """Run code printing a setting in a fresh DEBUG process, without the variables in unset."""
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update({"DEBUG": "1", **env_overrides})
    return subprocess.run(  # noqa: S603  # fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _trusted_proxy_count(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _settings_print(
        "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)",
        env_overrides,
        {"BEHIND_PROXY", "TRUSTED_PROXY_COUNT"},
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BEHIND_PROXY": "1"}, "1"),
        ({"BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "2"}, "2"),
    ],
)
def test_behind_proxy_trusts_one_proxy_unless_told_how_many(env, expected):
    result = _trusted_proxy_count(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_trusted_proxy_count_that_is_not_a_whole_number_stops_the_start(value):
    result = _trusted_proxy_count({"TRUSTED_PROXY_COUNT": value})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number" in result.stderr


def _api_rates(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _settings_print(
        "from django.conf import settings; "
        "rates = settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']; "
        "print(rates['anon'], rates['user'])",
        env_overrides,
        {"API_RATE_ANONYMOUS", "API_RATE_PERSON"},
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "600/min 1200/min"),
        ({"API_RATE_ANONYMOUS": "30/min", "API_RATE_PERSON": "5000/hour"}, "30/min 5000/hour"),
    ],
)
def test_the_general_api_limits_come_from_the_environment(env, expected):
    result = _api_rates(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["600", "0/min", "ten/min", "600/fortnight"])
def test_an_api_rate_that_is_not_a_rate_stops_the_start(value):
    result = _api_rates({"API_RATE_PERSON": value})
    assert result.returncode != 0
    assert "API_RATE_PERSON must be a request rate" in result.stderr
