"""The native backend, ``tokensmith._native``: whichever extension this wheel was built with.

The default build is the PyO3 extension (``bindings/python``); the UniFFI build (``bindings/uniffi``) puts the
generated module in the same place. Both expose the same names, so the layer above does not know which it uses.
"""

from . import _native as ffi

#: Which extension was built: "pyo3" or "uniffi".
BACKEND = "uniffi" if hasattr(ffi, "tokensmith_ffi") else "pyo3"

__all__ = ["BACKEND", "ffi"]
