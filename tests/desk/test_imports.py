"""Every module imports on its own, whatever is imported first (no circular import hides behind app start-up)."""
import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["desk.stages", "desk.cases", "reports.summary.services", "intake.routing.services"])
def test_a_module_imports_first(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}; from desk.cases import clocks, conclude_case"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
