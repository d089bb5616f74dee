"""`check --deploy` refuses to run sealed bids without a key-encryption key, or with one inside the media folder."""

from bids import checks


def test_a_missing_kek_is_an_error(settings, tmp_path):
    settings.BIDS_KEK, settings.BIDS_KEK_FILE, settings.BIDS_KEK_CREATE = "", str(tmp_path / "none"), False
    assert [e.id for e in checks.kek_configured()] == ["bids.E001"]


def test_a_kek_file_inside_media_root_is_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "kek").write_text("x")
    settings.BIDS_KEK, settings.BIDS_KEK_FILE, settings.BIDS_KEK_CREATE = "", str(tmp_path / "media" / "kek"), False
    assert [e.id for e in checks.kek_configured()] == ["bids.E002"]


def test_a_kek_in_the_environment_or_a_file_outside_is_fine(settings, tmp_path):
    settings.BIDS_KEK = "A" * 43
    assert checks.kek_configured() == []
    settings.BIDS_KEK = ""
    (tmp_path / "kek").write_text("x")
    settings.BIDS_KEK_FILE, settings.BIDS_KEK_CREATE = str(tmp_path / "kek"), False
    assert checks.kek_configured() == []
