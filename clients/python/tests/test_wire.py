"""The protocol core without sockets: URLs, envelopes, timeouts, and reply conversion."""

from __future__ import annotations

import json
import math

import pytest

from testsync import CheckpointFailedError, ProtocolError, StoredData, TestSyncError
from testsync import _wire


def test_register_url_appends_the_path_and_encodes_names():
    assert _wire.register_url("ws://h:9105", "run-1", None) == "ws://h:9105/register/run-1"
    assert _wire.register_url("wss://h/sync/", "r", "a:b") == "wss://h/sync/register/r?agent=a%3Ab"
    assert _wire.register_url("ws://h:1", "a b/c", "x y") == "ws://h:1/register/a%20b%2Fc?agent=x%20y"


def test_basic_auth_is_the_base64_of_user_colon_password():
    assert _wire.basic_auth("exampleUserName", "examplePassWord") == \
        "Basic ZXhhbXBsZVVzZXJOYW1lOmV4YW1wbGVQYXNzV29yZA=="
    assert _wire.basic_auth(None, None) is None


def test_encode_is_compact_json_with_utf8_kept():
    assert _wire.encode("update_data", 7, {"name": "Zoë"}) == '{"command":"update_data","id":7,"content":{"name":"Zoë"}}'
    assert _wire.encode("read_data", 8) == '{"command":"read_data","id":8}'
    assert json.loads(_wire.encode("publish", 1, None))["content"] is None  # null is a payload


@pytest.mark.parametrize("seconds, ms", [(None, None), (_wire.FOREVER, 0), (1, 1000), (0.0001, 1), (2.5, 2500)])
def test_timeout_seconds_become_protocol_milliseconds(seconds, ms):
    assert _wire.timeout_ms(seconds) == ms


@pytest.mark.parametrize("bad", [0, -1, math.nan, True, "5"])
def test_a_timeout_that_is_not_positive_seconds_is_refused(bad):
    with pytest.raises((ValueError, TypeError), match="timeout"):
        _wire.timeout_ms(bad)


def test_an_error_frame_becomes_testsync_error_with_its_code():
    frame = _wire.decode('{"command":"error","id":3,"content":{"code":"invalid_argument","command":"lock",'
                         '"error":"name must be a non-empty string"}}')
    with pytest.raises(TestSyncError) as e:
        _wire.content_of(frame, "lock")
    assert (e.value.code, e.value.command, e.value.message) == (
        "invalid_argument", "lock", "name must be a non-empty string")


def test_a_reply_for_another_command_is_a_protocol_error():
    with pytest.raises(ProtocolError):
        _wire.content_of(_wire.Frame("counter", 1, {"value": 1}), "lock")
    with pytest.raises(ProtocolError):
        _wire.decode("[1,2]")
    with pytest.raises(ProtocolError):
        _wire.decode("not json")


def test_read_data_replies():
    assert _wire.stored_data({"exists": False}) == StoredData(False)
    assert _wire.stored_data({"exists": True, "content_type": "application/json", "data": {"a": 1}}) == \
        StoredData(True, "application/json", {"a": 1}, None)
    assert _wire.stored_data({"exists": True, "content_type": "image/png", "data_base64": "AAH/"}) == \
        StoredData(True, "image/png", None, b"\x00\x01\xff")
    with pytest.raises(ProtocolError):
        _wire.stored_data({"exists": True, "data_base64": "not base64!"})


def test_a_failed_release_raises_with_every_field():
    content = {"identifier": "x", "finished": False, "reason": "participant_lost", "joined": 2, "target": 3,
               "lost": ["b"], "joined_agents": ["a", "b"], "absent_agents": ["c"], "start_at": 1, "start_in_ms": 0}
    with pytest.raises(CheckpointFailedError) as e:
        _wire.release(content, 0.0)
    err = e.value
    assert (err.reason, err.lost, err.joined_agents, err.absent_agents) == ("participant_lost", ("b",), ("a", "b"), ("c",))
    assert err.release == content and err.code == "checkpoint_failed"
    assert str(err) == "wait_checkpoint: checkpoint_failed: checkpoint 'x' failed: participant_lost, " \
                       "2 of 3 joined; lost: b; absent: c"


def test_a_release_resumes_start_in_ms_after_its_arrival():
    r = _wire.release({"identifier": "x", "finished": True, "reason": "complete", "joined": 2, "target": 2,
                       "start_at": 1000, "start_in_ms": 250, "server_time_ms": 750}, received_at=10.0)
    assert r.resume_at == 10.25 and r.raw["start_at"] == 1000
