"""`build` shows a progress bar on a terminal and stays quiet when its output is not one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path


def test_progress_bar_on_a_terminal(tmp_path: Path, seeds_dir: Path) -> None:
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "graphkit.cli", "build", str(seeds_dir), "--out",
                             str(tmp_path / "out"), "--no-views"], stdin=child_fd, stdout=child_fd, stderr=child_fd)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            data = os.read(main_fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(main_fd)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "5/5 docs" in out and "docs/s" in out and "left" in out


def test_no_progress_bar_when_not_a_terminal(tmp_path: Path, seeds_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "graphkit.cli", "build", str(seeds_dir), "--out",
                           str(tmp_path / "out"), "--no-views"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "docs/s" not in done.stderr and "\r" not in done.stderr
    assert "built 5 documents" in done.stdout
