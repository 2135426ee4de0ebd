"""The exceptions every TestSync call can raise; branch on the class or on the stable ``code``."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Tuple


class TestSyncError(Exception):
    """A command failed. ``code`` is stable and safe to branch on; ``message`` is for people.

    Codes the server sends (SPEC §3): ``invalid_message``, ``unknown_command``,
    ``invalid_argument``, ``payload_too_large``, ``limit_reached``, ``internal_error``.
    The subclasses below add the client's own codes.
    """

    __test__ = False  # the name starts with "Test": keep pytest from collecting it

    def __init__(self, code: str, message: str, command: str = "") -> None:
        super().__init__(f"{code}: {message}" if not command else f"{command}: {code}: {message}")
        self.code = code
        self.message = message
        self.command = command


class CheckpointFailedError(TestSyncError):
    """A checkpoint was released without completing: ``reason`` says why (``timeout``,
    ``participant_lost``, ``operator_released``), ``joined_agents`` / ``absent_agents`` who held it up.
    """

    def __init__(self, release: Mapping[str, Any]) -> None:
        self.release: Mapping[str, Any] = dict(release)
        self.identifier: str = str(release.get("identifier", ""))
        self.reason: str = str(release.get("reason", ""))
        self.joined: Optional[int] = release.get("joined")
        self.target: Optional[int] = release.get("target")
        self.joined_agents: Tuple[str, ...] = _names(release.get("joined_agents"))
        self.absent_agents: Tuple[str, ...] = _names(release.get("absent_agents"))
        self.lost: Tuple[str, ...] = _names(release.get("lost"))
        detail = f"checkpoint {self.identifier!r} failed: {self.reason}, {self.joined} of {self.target} joined"
        if self.lost:
            detail += f"; lost: {', '.join(self.lost)}"
        if self.absent_agents:
            detail += f"; absent: {', '.join(self.absent_agents)}"
        super().__init__("checkpoint_failed", detail, "wait_checkpoint")


class LockTimeoutError(TestSyncError):
    """A lock was not granted within its timeout; ``reply`` is the server's raw answer."""

    def __init__(self, name: str, reply: Mapping[str, Any]) -> None:
        self.name = name
        self.reply: Mapping[str, Any] = dict(reply)
        super().__init__("lock_timeout", f"lock {name!r} was not granted in time ({reply.get('reason')})", "lock")


class ConnectionLostError(TestSyncError):
    """The connection ended; every call still waiting for a reply fails with this at once.

    ``close_code`` is the WebSocket close code when the server sent one (``1000`` after
    :meth:`close`, ``1012`` on a server restart, ``4001`` when an operator removed the agent),
    else ``None`` (the TCP connection broke).
    """

    def __init__(self, message: str, close_code: Optional[int] = None, close_reason: str = "") -> None:
        self.close_code = close_code
        self.close_reason = close_reason
        super().__init__("connection_lost", message)


class ConnectError(TestSyncError):
    """Connecting failed. ``status`` is the HTTP status when the server refused the upgrade
    (``400`` bad run id or agent name, ``401`` credentials, ``403`` protected mode, ``503`` limit),
    else ``None`` (unreachable, or the server does not speak protocol ``testsync.v1``).
    """

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        self.status = status
        super().__init__("connect_failed", message)


class ReplyTimeoutError(TestSyncError):
    """The server did not answer a command within the client's ``reply_timeout``."""

    def __init__(self, command: str, seconds: float) -> None:
        super().__init__("reply_timeout", f"no reply within {seconds:g} s", command)


class ProtocolError(TestSyncError):
    """The server sent something protocol v1 does not allow (a bug on one side: report it)."""

    def __init__(self, message: str, command: str = "") -> None:
        super().__init__("protocol_error", message, command)


def _names(value: Any) -> Tuple[str, ...]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return tuple(str(v) for v in value)
    return ()
