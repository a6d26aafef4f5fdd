"""MkDocs hooks of the guides site: the guides stay in docs/ (where GitHub renders them), and links they make to
the rest of the repository point at the repository's web view."""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.structure.files import File, Files

GUIDES = Path(__file__).resolve().parent.parent
# A Markdown link leaving docs/, e.g. (../examples/python-fastapi).
OUTSIDE = re.compile(r"\]\(\.\./([^)]+)\)")


def on_files(files: Files, config) -> Files:
    """Adds every docs/*.md as a page beside pages/, so the guides are not copied or moved."""
    for guide in sorted(GUIDES.glob("*.md")):
        files.append(File(guide.name, str(GUIDES), config["site_dir"], config["use_directory_urls"]))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Points a guide's links to repository files outside docs/ at the repository (repo_url), at the revision the
    site is built from (SITE_REF: the release's tag in the workflow), so a release's site links that release."""
    if Path(page.file.abs_src_path).parent != GUIDES:
        return markdown
    tree = f"{config['repo_url'].rstrip('/')}/tree/{os.environ.get('SITE_REF', 'HEAD')}"
    return OUTSIDE.sub(lambda m: f"]({tree}/{m.group(1)})", markdown)
