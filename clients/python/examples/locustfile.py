"""Every user, on every worker, logs in as its own account and starts at the same instant.

    locust -f locustfile.py --headless -u 50 -r 50 --host http://shop.test \
        --testsync-url ws://sync-host:9105 --testsync-username user --testsync-password pass

Distributed: give the same ``--testsync-*`` options to the master only (``--master``); workers
(``--worker``) receive them. The run id is made per Locust test unless ``--testsync-run-id`` is given.
"""

from locust import HttpUser, constant, task

from testsync.locust import rendezvous


class Shopper(HttpUser):
    wait_time = constant(1)

    def on_start(self) -> None:
        # Blocks this user (not the worker) until all users of all workers have arrived, then
        # returns at the common start instant. sync.index is 1..N, unique across workers.
        self.sync = rendezvous(self)

    @task
    def account(self) -> None:
        # The index picks this user's test data: account N belongs to user N alone.
        self.client.get(f"/accounts/{self.sync.index}", name="/accounts/[index]",
                        headers={"X-TestSync-Run": self.sync.client.welcome.run})
