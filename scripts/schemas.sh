#!/usr/bin/env bash
# Regenerate the published JSON Schemas in docs/schemas from the pydantic models;
# tests/test_schemas.py fails when they are not current.
set -euo pipefail
cd "$(dirname "$0")/.."
"${CGC:-.venv/bin/cgc}" schema --write docs/schemas
