"""The native backend: the UniFFI module that maturin generates next to this package (``tokensmith._uniffi``).

Everything below the Pythonic surface is the Rust core; this module only names where it is loaded from.
"""

from ._uniffi import tokensmith_ffi as ffi

__all__ = ["ffi"]
