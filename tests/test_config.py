import pytest

from newstrace.config import Settings, load_settings
from newstrace.errors import ConfigError


def test_settings_file_overrides_defaults(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[newstrace]\nshingle_size = 5\nclaim_similarity = 1\n", encoding="utf-8")
    settings = load_settings(path, seed=7)
    assert (settings.shingle_size, settings.claim_similarity, settings.seed) == (5, 1.0, 7)
    assert isinstance(settings.claim_similarity, float)
    assert settings.num_perm == Settings().num_perm


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[newstrace]\nshingle_size = 'five'\n", "must be int"),
        ("[newstrace]\nno_such = 1\n", "unknown setting"),
        ("[newstrace\n", "cannot read settings"),
    ],
)
def test_bad_settings_are_config_errors(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)
    assert ConfigError.exit_code == 2


def test_missing_settings_file_names_the_file(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml"):
        load_settings(tmp_path / "nope.toml")
