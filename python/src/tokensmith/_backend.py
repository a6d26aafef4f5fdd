"""The native backend, ``tokensmith._native``: whichever extension this wheel was built with.

The default build is the PyO3 extension (``bindings/python``); the UniFFI build (``bindings/uniffi``) puts the
generated module in the same place. Both expose the same names, so the layer above does not know which it uses.
The layer's own annotations are the package's types; the native module is typed ``Any`` on purpose, so that its
signatures are not written a second time in a stub.
"""

import atexit
import importlib
from typing import Any


def _refuse_sub_interpreters() -> None:
    """Refuses a sub-interpreter at import, at once and saying why: the native backend serves the process's one
    main interpreter (PyO3 refuses a second one only after the first, and a sub-interpreter's end would wait for
    the core's threads forever)."""
    try:
        import _xxsubinterpreters as interpreters  # Python 3.8 to 3.12
    except ImportError:
        try:
            import _interpreters as interpreters  # type: ignore[no-redef]  # Python 3.13+
        except ImportError:
            return

    def number(interpreter: Any) -> int:
        return int(interpreter[0] if isinstance(interpreter, tuple) else interpreter)

    if number(interpreters.get_current()) != number(interpreters.get_main()):
        raise ImportError(
            "tokensmith cannot be imported in a sub-interpreter: its native I/O threads belong to the main "
            "interpreter of the process. Import it in the main interpreter, or run the work in a subprocess."
        )


_refuse_sub_interpreters()
ffi: Any = importlib.import_module("tokensmith._native")

# The core's I/O threads hand results to the event loop (asyncio) and would take the GIL of an interpreter that
# is already finalizing, which kills the process; stop them, after their work is done, before that.
atexit.register(ffi.shutdown_runtime)

#: Which extension was built: "pyo3" or "uniffi".
BACKEND = "uniffi" if hasattr(ffi, "tokensmith_ffi") else "pyo3"

__all__ = ["BACKEND", "ffi"]
