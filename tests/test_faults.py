"""Faults: a build killed with SIGKILL leaves the previous graph and store usable, and the next build
completes; a store held by another process gives a clear error."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

GRAPHKIT = [sys.executable, "-m", "graphkit.cli"]


def corpus(folder: Path, seeds: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    texts = sorted(seeds.glob("*.txt"))
    for n in range(copies):
        shutil.copy(texts[n % len(texts)], folder / f"copy{n:05d}.txt")
    return folder


def facts(out: Path) -> list[dict]:
    done = subprocess.run([*GRAPHKIT, "facts", str(out)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def kill_when(cmd: list[str], ready, timeout: float = 120) -> None:
    """Start ``cmd``, and SIGKILL it as soon as ``ready()`` holds."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while not ready() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the build ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()


@pytest.mark.parametrize("phase", ["extracting", "publishing"])
def test_kill_minus_9_leaves_the_previous_build_usable(tmp_path: Path, seeds_dir: Path, phase: str) -> None:
    out = tmp_path / "out"
    subprocess.run([*GRAPHKIT, "build", str(seeds_dir), "--out", str(out), "-q"], check=True)
    before = facts(out)
    trig = (out / "graph.trig").read_bytes()
    src = corpus(tmp_path / "big", seeds_dir, 150)
    cache = out / "cache" / "docs"
    if phase == "extracting":
        def ready() -> bool:
            return len(list(cache.glob("*.trig"))) > 20
    else:
        def ready() -> bool:
            return any(out.glob(".graph.*.new")) or any(out.glob(".store-new-*"))
    kill_when([*GRAPHKIT, "build", str(src), "--out", str(out), "-q"], ready)
    assert facts(out) == before
    assert (out / "graph.trig").read_bytes() == trig
    done = subprocess.run([*GRAPHKIT, "build", str(src), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(facts(out)) == 150
    assert not any(out.glob(".*.new")) and not any(out.glob(".store-*"))


def test_a_store_held_by_another_process_gives_a_clear_error(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "out"
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    subprocess.run([*GRAPHKIT, "build", str(src), "--out", str(out), "-q"], check=True)
    # a change, so that the build has to write to the store
    (src / "extra.txt").write_text("Walsall Council was judged inadequate by Ofsted.\n", encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", "import pyoxigraph, sys, time; "
                               f"s = pyoxigraph.Store({str(out / 'store')!r}); print('held', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        done = subprocess.run([*GRAPHKIT, "build", str(src), "--out", str(out)], capture_output=True, text=True)
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "in use by another process" in lines[0] and "store" in lines[0]
        assert f"process {holder.pid}" in lines[0]  # found without opening the store, holder named
    finally:
        holder.kill()
        holder.wait()
    assert len(facts(out)) == 5
    done = subprocess.run([*GRAPHKIT, "build", str(src), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(facts(out)) == 6


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(tmp_path: Path, seeds_dir: Path) -> None:
    """Two builds writing one folder's cache, index and store would interleave: the second says so and stops."""
    out = tmp_path / "out"
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    subprocess.run([*GRAPHKIT, "build", str(src), "--out", str(out), "-q"], check=True)
    before = (out / "graph.trig").read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; "
                               f"f = open({str(out / 'cache' / 'build.lock')!r}, 'a'); "
                               "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        (src / "extra.txt").write_text("Walsall Council was judged inadequate by Ofsted.\n", encoding="utf-8")
        done = subprocess.run([*GRAPHKIT, "build", str(src), "--out", str(out)], capture_output=True, text=True)
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "another graphkit build" in lines[0] and str(out) in lines[0], lines
        # An export writes the same folder's files and opens its index: refused alike.
        done = subprocess.run([*GRAPHKIT, "export", str(out)], capture_output=True, text=True)
        assert done.returncode == 1 and "another graphkit build" in done.stderr
    finally:
        holder.kill()
        holder.wait()
    assert (out / "graph.trig").read_bytes() == before  # nothing was touched
    done = subprocess.run([*GRAPHKIT, "build", str(src), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(facts(out)) == 6
