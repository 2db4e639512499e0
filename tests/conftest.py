"""Shared fixtures: where the project and ../shared are, and one build of the seeds per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds built once with the default (embedded) store; tests must not modify it."""
    from graphkit.pipeline import build

    out = tmp_path_factory.mktemp("seed-build") / "out"
    report = build([SEEDS], out)
    assert report.ok, report.errors
    return out
