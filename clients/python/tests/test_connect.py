"""Connecting: the v1 welcome, refusals before the upgrade, and bad arguments."""

from __future__ import annotations

import time

import pytest

from testsync import SUBPROTOCOL, ConnectError, ConnectionLostError, TestSync

from _server import PASSWORD, USERNAME, ServerProcess, free_port


def test_welcome_names_the_run_agent_and_connection(connect, run_id):
    a = connect("alpha-1")
    b = connect()
    assert a.welcome.protocol == SUBPROTOCOL == "testsync.v1"
    assert a.welcome.run == run_id
    assert a.welcome.agent == "alpha-1"
    assert b.welcome.agent.startswith("agent-")
    assert a.welcome.connection and a.welcome.connection != b.welcome.connection
    assert abs(a.welcome.server_time_ms - time.time() * 1000) < 60_000
    assert a.welcome.limits["max_data_bytes"] == 10 * 1024 * 1024


def test_wrong_password_is_refused_with_401(server: ServerProcess, run_id):
    with pytest.raises(ConnectError) as e:
        TestSync.connect(server.ws_url, run_id, USERNAME, "not-" + PASSWORD)
    assert e.value.status == 401
    assert e.value.code == "connect_failed"
    assert "HTTP 401" in str(e.value)


def test_missing_credentials_are_refused_with_401(server: ServerProcess, run_id):
    with pytest.raises(ConnectError) as e:
        TestSync.connect(server.ws_url, run_id)
    assert e.value.status == 401


def test_bad_run_id_and_agent_name_are_refused_with_400(server: ServerProcess, run_id):
    with pytest.raises(ConnectError) as e:
        TestSync.connect(server.ws_url, "no spaces allowed", USERNAME, PASSWORD)
    assert e.value.status == 400
    with pytest.raises(ConnectError) as e:
        TestSync.connect(server.ws_url, run_id, USERNAME, PASSWORD, agent="bad/agent")
    assert e.value.status == 400


def test_unreachable_server_is_a_connect_error_without_status(run_id):
    with pytest.raises(ConnectError) as e:
        TestSync.connect(f"ws://127.0.0.1:{free_port()}", run_id, connect_timeout=2)
    assert e.value.status is None
    assert "cannot connect" in str(e.value)


@pytest.mark.parametrize("url", ["http://localhost:9105", "localhost:9105", "ws://"])
def test_url_must_be_a_websocket_address(url, run_id):
    with pytest.raises(ValueError, match="url"):
        TestSync.connect(url, run_id)


def test_credentials_come_in_pairs(run_id):
    with pytest.raises(ValueError, match="both username and password"):
        TestSync.connect("ws://localhost:9105", run_id, username="only-me")


def test_close_ends_the_connection_and_later_calls_fail(connect):
    client = connect()
    other = connect()
    assert other.connection_count() == 2
    client.close()
    assert client.closed
    assert other.connection_count() == 1
    with pytest.raises(ConnectionLostError) as e:
        client.counter("after-close")
    assert e.value.close_code == 1000
    client.close()  # a second close does nothing


def test_context_manager_closes(server: ServerProcess, run_id):
    with TestSync.connect(server.ws_url, run_id, USERNAME, PASSWORD) as client:
        assert client.connection_count() == 1
    assert client.closed
