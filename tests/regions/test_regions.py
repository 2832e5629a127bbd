"""The official regions: in every database from the vendored data, refreshed by a command."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command

from regions.models import District, Province, Regency, Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def whole_country():
    """The vendored regions in full, as the migration loads them (a transactional test run
    before this one leaves only the test suite's smaller set)."""
    call_command("load_regions", stdout=io.StringIO())


def test_the_vendored_data_gives_the_official_codes(whole_country):
    kutai_timur = Regency.objects.select_related("parent").get(code="64.08")
    assert kutai_timur.name == "Kabupaten Kutai Timur"
    assert kutai_timur.parent.name == "Kalimantan Timur"
    assert Province.objects.count() == 38
    sangatta_utara = District.objects.get(code="64.08.04")
    assert sangatta_utara.name == "Sangatta Utara"
    assert sangatta_utara.children.filter(name="Swarga Bara").exists()
    # Villages all over the country, not only Kalimantan Timur.
    assert Village.objects.filter(code__startswith="31.").exists()


def _package(files: dict[str, str], version: str) -> bytes:
    """An npm package tarball of idn-area-data with these data files."""
    files = {f"data/{name}": text for name, text in files.items()}
    files["package.json"] = json.dumps({"name": "idn-area-data", "version": version})
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_the_command_vendors_a_new_release_and_brings_the_tables_to_it(tmp_path):
    # Given a release where a village is renamed and the rest of the country is gone
    tarball = tmp_path / "idn-area-data-9.9.9.tgz"
    tarball.write_bytes(
        _package(
            {
                "provinces.csv": "code,name\n64,Kalimantan Timur\n",
                "regencies.csv": "code,province_code,name\n64.08,64,Kabupaten Kutai Timur\n",
                "districts.csv": "code,regency_code,name\n64.08.04,64.08,Sangatta Utara\n",
                "villages.csv": "code,district_code,name\n64.08.04.1001,64.08.04,Desa   Baru\n",
                "LICENSE.md": "ODbL\n",
            },
            version="9.9.9",
        )
    )
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    out = io.StringIO()

    call_command("load_regions", tarball=str(tarball), data_dir=data_dir, stdout=out)

    assert (data_dir / "villages.csv.gz").exists()
    assert (data_dir / "VERSION").read_text() == "idn-area-data 9.9.9\n"
    assert (data_dir / "provinces.csv").read_text() == "code,name\n64,Kalimantan Timur\n"
    assert list(Village.objects.values_list("code", "name")) == [("64.08.04.1001", "Desa Baru")]
    assert list(Province.objects.values_list("code", flat=True)) == ["64"]
    assert "1 Village" in out.getvalue()


def test_loading_twice_changes_nothing(whole_country):
    before = Village.objects.count()
    call_command("load_regions", stdout=io.StringIO())
    assert Village.objects.count() == before


def test_the_regions_inside_a_region_as_json(client):
    provinces = client.get("/wilayah/").json()["children"]
    assert ["64", "Kalimantan Timur"] in provinces
    regencies = client.get("/wilayah/64/").json()["children"]
    assert ["64.08", "Kabupaten Kutai Timur"] in regencies
    assert all(code.startswith("64.") for code, _name in regencies)
    districts = dict(client.get("/wilayah/64.08/").json()["children"])
    assert districts["64.08.14"] == "Rantau Pulung"
    assert client.get("/wilayah/99.99/").json()["children"] == []
    assert client.get("/wilayah/64.08.04.1001/").status_code == 404


def test_the_admin_reads_the_regions_but_does_not_edit_them(client):
    from tests.factories import make_user

    client.force_login(make_user(is_staff=True, is_superuser=True))
    listing = client.get("/en/admin/regions/village/?q=Swarga+Bara")
    assert listing.status_code == 200
    assert "64.08.04.2012" in listing.content.decode()
    page = client.get("/en/admin/regions/regency/64.08/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
