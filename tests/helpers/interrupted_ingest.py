"""Run `pmo ingest` with the publish step slowed down or killed, to test the store's guarantees.

usage: interrupted_ingest.py DATA_DIR FILE MODE SIGNAL_FILE
MODE "pause:N"  -> hold the writer lock N seconds before publishing (signal file written first)
MODE "kill"     -> die (SIGKILL) at the moment CURRENT would be swapped, after everything else
"""

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))   # the repo root, for `pmo`

import pmo.store as store_mod  # noqa: E402
from pmo.cli import main  # noqa: E402

data_dir, file_, mode, signal_file = sys.argv[1:5]
original_publish = store_mod.Writer.publish

if mode.startswith("pause:"):
    def slow_publish(self, manifest):
        Path(signal_file).write_text("staged")
        time.sleep(float(mode.split(":")[1]))
        return original_publish(self, manifest)
    store_mod.Writer.publish = slow_publish
elif mode == "kill":
    real_replace = os.replace

    def killing_replace(src, dst):
        if Path(dst).name == "CURRENT":
            Path(signal_file).write_text("dying")
            os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(src, dst)
    store_mod.os.replace = killing_replace

sys.exit(main(["ingest", file_, "--data-dir", data_dir]))
