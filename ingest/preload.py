"""What every sandbox worker needs, imported once by the fork server they are forked from.

``docket ingest`` starts the fork server with this module as its preload
(``ingest.sandbox.start_fork_server``) before it imports anything heavy
itself; the module names live in ``ingest.analyse`` (``WORKER_PRELOAD``),
which this process does not have to import to name them.
"""

from __future__ import annotations

import gc
import importlib

# No garbage collection while they load (their objects are not garbage), and
# frozen after: the workers' collections never walk them, nor touch their pages.
gc.disable()
try:
    from ingest.analyse import WORKER_PRELOAD

    for _module in WORKER_PRELOAD:
        importlib.import_module(_module)
    gc.freeze()
finally:
    gc.enable()
