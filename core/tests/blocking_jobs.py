"""Jobs that block, for the crash test (test_worker_crash.py): imported by the test and by the worker processes it
starts. Each touches its `marker` file when it runs, so the test knows when to kill the worker."""

import time
from pathlib import Path

from core import jobs


@jobs.register("test.block_always", max_attempts=1)
def block_always(job, marker):
    Path(marker).touch()
    time.sleep(3600)


@jobs.register("test.block_once")
def block_once(job, marker):
    """Blocks on the first attempt only; a second attempt finishes."""
    Path(marker).touch()
    if job.attempts == 1:
        time.sleep(3600)
    return {"attempt": job.attempts}
