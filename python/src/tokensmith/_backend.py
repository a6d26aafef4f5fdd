"""The native backend, ``tokensmith._native``: whichever extension this wheel was built with.

The default build is the PyO3 extension (``bindings/python``); the UniFFI build (``bindings/uniffi``) puts the
generated module in the same place. Both expose the same names, so the layer above does not know which it uses.
The layer's own annotations are the package's types; the native module is typed ``Any`` on purpose, so that its
signatures are not written a second time in a stub.
"""

import importlib
from typing import Any

ffi: Any = importlib.import_module("tokensmith._native")

#: Which extension was built: "pyo3" or "uniffi".
BACKEND = "uniffi" if hasattr(ffi, "tokensmith_ffi") else "pyo3"

__all__ = ["BACKEND", "ffi"]
