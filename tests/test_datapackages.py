"""The committed packages under datapackages/ are what the converter produces from the seeds,
and they pass `opendata validate` and plain `frictionless validate`."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.seeds import SEEDS

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def package_files(root: Path) -> dict[str, str]:
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "releases" not in path.parts and path.name != "CHANGELOG.md":
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.name == "datapackage.json":
                descriptor = json.loads(text)
                descriptor.pop("created", None)
                text = json.dumps(descriptor, ensure_ascii=False, sort_keys=True)
            files[str(path.relative_to(root))] = text
    return files


def test_regenerating_changes_nothing(tmp_path):
    out = tmp_path / "packages"
    run = subprocess.run([BIN / "opendata", "convert", *sorted(map(str, SEEDS.glob("*.txt"))), "--out-dir", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    committed = package_files(REPO / "datapackages")
    regenerated = package_files(out)
    assert committed.keys() == regenerated.keys(), "run: opendata convert ../shared/seeds/*.txt --out-dir datapackages"
    stale = [name for name in committed if committed[name] != regenerated[name]]
    assert not stale, f"datapackages/ is stale ({stale[:5]}); run: opendata convert ../shared/seeds/*.txt --out-dir datapackages"


def test_packages_pass_our_validator():
    run = subprocess.run([BIN / "opendata", "validate", str(REPO / "datapackages"), "--json"], capture_output=True, text=True)
    report = json.loads(run.stdout)
    structural = [f for p in report["packages"] for f in p["findings"] if f["rule"].startswith(("package.", "resource.", "table."))]
    assert not structural, structural[:5]


@pytest.mark.parametrize("package", sorted(p.name for p in (REPO / "datapackages").iterdir() if p.is_dir()))
def test_packages_pass_frictionless(package):
    run = subprocess.run([BIN / "frictionless", "validate", str(REPO / "datapackages" / package / "datapackage.json")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
