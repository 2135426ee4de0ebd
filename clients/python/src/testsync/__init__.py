"""TestSync client: share data and meet at checkpoints across the agents of a parallel test run.

``TestSync`` is the blocking client (threads, and Locust's gevent), ``AsyncTestSync`` the asyncio one.
Neither WebSocket library is imported until a connection is made, so importing this package
before gevent's monkey-patching (as a locustfile may) does not pull ``ssl`` in too early.
"""

from ._async import AsyncTestSync
from ._async_parts import AsyncHeldLock, AsyncSubscription
from ._models import LockGrant, Message, Release, StoredData, Welcome
from ._sync import HeldLock, TestSync
from ._sync_subscription import Subscription
from ._wire import FOREVER, SUBPROTOCOL
from .errors import (
    CheckpointFailedError,
    ConnectError,
    ConnectionLostError,
    LockTimeoutError,
    ProtocolError,
    ReplyTimeoutError,
    TestSyncError,
)

__version__ = "0.1.0"

__all__ = [
    "FOREVER", "SUBPROTOCOL", "AsyncHeldLock", "AsyncSubscription", "AsyncTestSync", "CheckpointFailedError",
    "ConnectError", "ConnectionLostError", "HeldLock", "LockGrant", "LockTimeoutError", "Message",
    "ProtocolError", "Release", "ReplyTimeoutError", "StoredData", "Subscription", "TestSync", "TestSyncError",
    "Welcome",
]
