"""Where the seed disclosures are, and a cached conversion of each."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def seed_path(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.fail(f"seed {prefix} not found under {SEEDS} (../shared/seeds beside the repository)")
    return matches[0]


@lru_cache(maxsize=None)
def converted(prefix: str):
    from opendata.convert import convert_file

    return convert_file(seed_path(prefix))


def row(result, table_id: str, row_id: str):
    table = result.disclosure.tables[table_id]
    found = table.row(row_id)
    assert found is not None, f"{table_id}: no row {row_id!r}; rows: {[r.row_id for r in table.rows][:40]}"
    return found
