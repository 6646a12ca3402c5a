"""The learner's local path: a notebook runs from its own folder with `jupyter execute`.

That is what a learner does after cloning (or what JupyterLab does on "Run All"): no test
harness, the notebook's folder as the working directory, an artifact folder of their own, and no
network (make test runs this offline). A fast notebook keeps it cheap.
"""

import os
import subprocess
import sys
from pathlib import Path

from notebook_rules import ROOT

NOTEBOOK = ROOT / "chapters" / "03_gradient_descent" / "04_backpropagation.ipynb"


def test_a_notebook_runs_from_its_own_folder_with_jupyter_execute(tmp_path):
    jupyter = Path(sys.executable).with_name("jupyter")
    env = {**os.environ, "NEUROTRANSFER_HOME": str(tmp_path / "artifacts")}
    before = NOTEBOOK.read_bytes()
    result = subprocess.run([str(jupyter), "execute", "--timeout=600", NOTEBOOK.name],
                            cwd=NOTEBOOK.parent, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert NOTEBOOK.read_bytes() == before  # nothing written into the repository
    assert not (NOTEBOOK.parent / "artifacts").exists()
