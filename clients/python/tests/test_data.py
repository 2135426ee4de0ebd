"""The run's data: set_data / read_data / data, shared with the HTTP API."""

from __future__ import annotations

import json

import pytest

from testsync import StoredData, TestSyncError


def test_set_data_stores_compact_json_and_reports_its_size(connect, server, run_id):
    client = connect()
    value = {"room": "r-1", "users": ["alice", "bób"], "n": 2.5, "none": None}
    size = client.set_data(value)
    expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert size == len(expected)
    assert server.http("GET", f"/tests/{run_id}") == (200, expected)


def test_read_data_returns_the_value_and_content_type(connect):
    writer, reader = connect(), connect()
    writer.set_data([1, "two", {"three": 3}])
    assert reader.read_data() == StoredData(True, "application/json", [1, "two", {"three": 3}], None)
    assert reader.data() == [1, "two", {"three": 3}]


@pytest.mark.parametrize("value", [None, "hello", 0, False, [], {}])
def test_any_json_value_round_trips(connect, value):
    client = connect()
    client.set_data(value)
    stored = client.read_data()
    assert stored.exists and stored.is_json
    assert stored.value == value


def test_no_data_is_not_exists_and_data_gives_the_default(connect):
    client = connect()
    assert client.read_data() == StoredData(False)
    assert client.data() is None
    assert client.data(default={"empty": True}) == {"empty": True}


def test_data_posted_over_http_reads_back_as_bytes_when_not_json(connect, server, run_id):
    blob = bytes(range(256))
    assert server.http("POST", f"/tests/{run_id}", blob, "image/png")[0] == 200
    stored = connect().read_data()
    assert stored == StoredData(True, "image/png", None, blob)
    assert not stored.is_json
    assert connect().data() == blob


def test_json_posted_over_http_reads_back_as_its_value(connect, server, run_id):
    server.http("PUT", f"/tests/{run_id}", b'{"from": "http"}', "text/plain")
    stored = connect().read_data()
    assert stored == StoredData(True, "text/plain", {"from": "http"}, None)


def test_data_over_the_limit_is_payload_too_large_and_changes_nothing(connect, server, run_id):
    client = connect()
    client.set_data("small")
    with pytest.raises(TestSyncError) as e:
        client.set_data("x" * (10 * 1024 * 1024))
    assert e.value.code == "payload_too_large"
    assert e.value.command == "update_data"
    assert client.data() == "small"


def test_connection_count_counts_the_runs_connections(connect):
    first = connect()
    assert first.connection_count() == 1
    others = [connect() for _ in range(3)]
    assert first.connection_count() == 4
    others[0].close()
    assert first.connection_count() == 3


def test_values_json_cannot_carry_are_refused_before_sending(connect):
    client = connect()
    with pytest.raises(ValueError):
        client.set_data(float("nan"))
    with pytest.raises(TypeError):
        client.set_data({"s": {1, 2}})
    assert client.connection_count() == 1  # the connection is still fine
