"""notebooks/explore.ipynb runs from top to bottom on the seeds, and is kept in git without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_notebook_is_saved_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_runs_on_the_seeds(tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("GRAPHKIT_OUT", str(out))  # the kernel inherits it: build here, not in ../out
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError naming the cell on any error
    assert (out / "store").exists()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o.data["text/html"] for o in outputs if "data" in o and "text/html" in o.data]
    frames = [h for h in html if "<iframe srcdoc=" in h]
    assert len(frames) == 2, "the co-occurrence and council views show inline"
    for frame in frames:
        srcdoc = frame.split('srcdoc="', 1)[1].split('"', 1)[0]
        assert "<" not in srcdoc and "&lt;script&gt;" in srcdoc  # the whole page, escaped into srcdoc
    images = [o for o in outputs if "data" in o and "image/png" in o.data]
    assert len(images) >= 2, "the heatmap and the timeline chart"
