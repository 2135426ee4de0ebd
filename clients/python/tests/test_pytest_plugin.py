"""The pytest plugin as a user gets it: installed entry point, options or TESTSYNC_* variables."""

from __future__ import annotations

import pytest

from _server import PASSWORD, USERNAME

INNER = """
from testsync import TestSync

def test_uses_the_fixture(testsync, testsync_settings):
    assert isinstance(testsync, TestSync)
    assert testsync.welcome.run == testsync_settings.run_id == "{run_id}"
    assert testsync.welcome.agent == "{agent}"
    assert testsync.counter("plugin-tests", 1) >= 1
"""


def test_fixture_from_command_line_options(pytester: pytest.Pytester, server, run_id, connect):
    pytester.makepyfile(INNER.format(run_id=run_id, agent="pytest-main"))
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--testsync-url={server.ws_url}", f"--testsync-run-id={run_id}",
        f"--testsync-username={USERNAME}", f"--testsync-password={PASSWORD}")
    result.assert_outcomes(passed=1)
    assert connect().counter("plugin-tests") == 1  # the inner test really talked to this run


def test_fixture_from_environment_variables(pytester: pytest.Pytester, server, run_id, monkeypatch):
    for name, value in {"TESTSYNC_URL": server.ws_url, "TESTSYNC_RUN_ID": run_id, "TESTSYNC_USERNAME": USERNAME,
                        "TESTSYNC_PASSWORD": PASSWORD, "TESTSYNC_AGENT": "ci-shard-3"}.items():
        monkeypatch.setenv(name, value)
    pytester.makepyfile(INNER.format(run_id=run_id, agent="ci-shard-3"))
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_missing_run_id_is_a_clear_error(pytester: pytest.Pytester, monkeypatch):
    monkeypatch.delenv("TESTSYNC_RUN_ID", raising=False)
    pytester.makepyfile("def test_needs_it(testsync):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the testsync fixture needs a run id: pass --testsync-run-id or set TESTSYNC_RUN_ID*"])
    assert "Traceback" not in result.stdout.str()


def test_options_are_listed_in_help(pytester: pytest.Pytester):
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*--testsync-url*", "*--testsync-run-id*", "*TESTSYNC_RUN_ID*"])
