"""The native backend, ``tokensmith._native``: whichever extension this wheel was built with.

The default build is the PyO3 extension (``bindings/python``); the UniFFI build (``bindings/uniffi``) puts the
generated module in the same place. Both expose the same names, so the layer above does not know which it uses.
The layer's own annotations are the package's types; the native module is typed ``Any`` on purpose, so that its
signatures are not written a second time in a stub.
"""

import atexit
import importlib
from typing import Any

ffi: Any = importlib.import_module("tokensmith._native")

# The core's I/O threads hand results to the event loop (asyncio) and would take the GIL of an interpreter that
# is already finalizing, which kills the process; stop them, after their work is done, before that.
atexit.register(ffi.shutdown_runtime)

#: Which extension was built: "pyo3" or "uniffi".
BACKEND = "uniffi" if hasattr(ffi, "tokensmith_ffi") else "pyo3"

__all__ = ["BACKEND", "ffi"]
