"""The name a task instance records as its ``hostname`` on the native stack.

Airflow records the machine's name (``[core] hostname_callable``).  The native
stack (tests/servers/native_stack.py) runs several Celery workers on one
machine and points that setting here, so each worker's task instances carry the
worker's own name (``STACK_WORKER_NAME``) and the test can tell them apart.
"""

from __future__ import annotations

import os
import socket


def worker_name() -> str:
    """``$STACK_WORKER_NAME`` if set (a stack worker), else the machine's name."""
    return os.environ.get("STACK_WORKER_NAME") or socket.getfqdn()
