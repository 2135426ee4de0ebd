"""Errors the server answers: TestSyncError with the stable code, and the connection stays usable."""

from __future__ import annotations

import pytest

from testsync import TestSyncError


@pytest.mark.parametrize("identifier, target, field", [("", 2, "identifier"), ("x" * 257, 2, "identifier"),
                                                        ("ok", 0, "target_count")])
def test_an_invalid_checkpoint_is_invalid_argument_naming_the_field(connect, identifier, target, field):
    client = connect()
    with pytest.raises(TestSyncError) as e:
        client.checkpoint(identifier, target, timeout=5)
    assert type(e.value) is TestSyncError
    assert e.value.code == "invalid_argument"
    assert e.value.command == "wait_checkpoint"
    assert field in e.value.message
    assert client.connection_count() == 1  # still connected, still answering


def test_a_counter_beyond_2_pow_53_is_refused_and_unchanged(connect):
    client = connect()
    assert client.counter("big", 2**53 - 2) == 2**53 - 2
    with pytest.raises(TestSyncError) as e:
        client.counter("big", 5)
    assert e.value.code == "invalid_argument"
    assert client.counter("big") == 2**53 - 2


def test_unlocking_a_lock_not_held_is_invalid_argument(connect):
    with pytest.raises(TestSyncError) as e:
        connect().unlock("nobody-holds-this")
    assert (e.value.code, e.value.command) == ("invalid_argument", "unlock")


def test_a_second_subscribe_to_the_same_topic_is_invalid_argument(connect):
    client = connect()
    client.subscribe("news")
    with pytest.raises(TestSyncError) as e:
        client.subscribe("news")
    assert (e.value.code, e.value.command) == ("invalid_argument", "subscribe")


def test_a_non_integer_add_is_invalid_argument(connect):
    with pytest.raises(TestSyncError) as e:
        connect().counter("c", 1.5)  # type: ignore[arg-type]
    assert e.value.code == "invalid_argument" and "add" in e.value.message


def test_names_over_256_characters_are_refused(connect):
    client = connect()
    for call in (lambda: client.signal_entry("s" * 257), lambda: client.publish("t" * 257, 1),
                 lambda: client.lock("l" * 257, timeout=1)):
        with pytest.raises(TestSyncError) as e:
            call()
        assert e.value.code == "invalid_argument"
