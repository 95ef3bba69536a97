"""The synthetic region of examples/monitoring/generate_region.py, loaded as a module for the tests."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from .conftest import ROOT


def generator() -> ModuleType:
    path = ROOT / "examples" / "monitoring" / "generate_region.py"
    spec = importlib.util.spec_from_file_location("generate_region", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
