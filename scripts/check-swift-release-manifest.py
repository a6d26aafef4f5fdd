"""Usage: python3 scripts/check-swift-release-manifest.py RELEASE_DIR ZIP_URL ZIP

Checks what SwiftPM read from the release manifest (scripts/swift-release-manifest) at the root of RELEASE_DIR, a
copy of the release tag's tree: RELEASE_DIR/describe.json (`swift package describe --type json`) and dump.json
(`swift package dump-package`, the only one that shows a binary target's URL and checksum). scripts/test-swift runs
it; any failed check is named and fails it.
"""

import hashlib
import json
import sys


def main(release: str, url: str, zip_path: str) -> None:
    with open(f"{release}/describe.json") as f:
        described = json.load(f)
    with open(f"{release}/dump.json") as f:
        dumped = json.load(f)
    targets = {t["name"]: t for t in described["targets"]}
    ffi = next((t for t in dumped["targets"] if t["name"] == "TokensmithFFI"), {})
    with open(zip_path, "rb") as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    checks = {
        "TokensmithFFI is a binary target": targets.get("TokensmithFFI", {}).get("type") == "binary",
        "of ZIP_URL": ffi.get("url") == url,
        "with the zip's SHA-256": ffi.get("checksum") == sha256,
        "Tokensmith depends on it": targets.get("Tokensmith", {}).get("target_dependencies") == ["TokensmithFFI"],
        # The generated bindings are git-ignored on main: the release commit must add them.
        "Tokensmith has the generated bindings": "Tokensmith.swift" in targets.get("Tokensmith", {}).get("sources", []),
        "TokensmithTesting depends on Tokensmith":
            targets.get("TokensmithTesting", {}).get("target_dependencies") == ["Tokensmith"],
        "the products are Tokensmith and TokensmithTesting":
            sorted(p["name"] for p in described["products"]) == ["Tokensmith", "TokensmithTesting"],
        "macOS and iOS minimums are set": {p["name"] for p in described["platforms"]} == {"macos", "ios"},
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        sys.exit("the Swift release manifest fails: " + "; ".join(failed))
    print("ok: the Swift release manifest, as SwiftPM reads it: " + ", ".join(checks))


if __name__ == "__main__":
    main(*sys.argv[1:])
