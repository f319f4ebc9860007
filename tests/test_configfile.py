"""Configuration files: discovery, layers, validation, suppression."""

import json
import os

import pytest

from auditor.cli import main
from auditor.configfile import ConfigError, find_project_file, front_matter, load_for
from auditor.pipeline import audit_text

BAD = "Talks stall\n\nThe minister said &mdash; talks will resume.\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return str(path)


def test_defaults_without_any_file(tmp_path):
    art = write(tmp_path / "a.txt", BAD)
    cfg = load_for(art)
    assert cfg.fail_on == "error" and not cfg.disable and not cfg.allow_phrases


def test_project_file_found_walking_up(tmp_path):
    write(tmp_path / ".mtaudit.toml", 'fail_on = "warning"\ndisable = ["typography"]\n')
    art = write(tmp_path / "news" / "2024" / "a.txt", BAD)
    assert find_project_file(os.path.dirname(art)) == str(tmp_path / ".mtaudit.toml")
    cfg = load_for(art)
    assert cfg.fail_on == "warning" and "typography" in cfg.disable


def test_pyproject_tool_table_and_pyproject_without_it(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.mtaudit]\nquote_style = "straight"\nname_style = "reuters"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')  # no table: keep walking
    art = write(tmp_path / "sub" / "a.txt", BAD)
    cfg = load_for(art)
    assert cfg.quote_style == "straight" and cfg.name_style == "reuters"


def test_nearest_file_wins(tmp_path):
    write(tmp_path / ".mtaudit.toml", 'fail_on = "info"\n')
    write(tmp_path / "inner" / ".mtaudit.toml", 'fail_on = "warning"\n')
    assert load_for(write(tmp_path / "inner" / "a.txt", BAD)).fail_on == "warning"


def test_unknown_key_is_an_error_naming_it(tmp_path):
    write(tmp_path / ".mtaudit.toml", 'fial_on = "warning"\n')
    art = write(tmp_path / "a.txt", BAD)
    with pytest.raises(ConfigError, match="fial_on"):
        load_for(art)
    assert issubclass(ConfigError, ValueError)


@pytest.mark.parametrize("body, needle", [
    ('fail_on = "fatal"\n', "fail_on"),
    ('name_style = "bbc"\n', "name_style"),
    ('disable = ["nosuchcategory"]\n', "nosuchcategory"),
    ('disable = ["ZZZ999"]\n', "ZZZ999"),
    ('[severity]\nentity = "loud"\n', "severity.entity"),
    ('disable = "entity"\n', "disable"),
    ('allow_file = "missing.txt"\n', "missing.txt"),
    ('fail_on = \n', "invalid TOML"),
])
def test_bad_values_are_one_line_errors(tmp_path, body, needle):
    write(tmp_path / ".mtaudit.toml", body)
    with pytest.raises(ConfigError) as info:
        load_for(write(tmp_path / "a.txt", BAD))
    assert needle in str(info.value) and "\n" not in str(info.value)


def test_cli_reports_bad_config_as_one_line_exit_2(tmp_path, capsys):
    write(tmp_path / ".mtaudit.toml", 'colour = "red"\n')
    art = write(tmp_path / "a.txt", BAD)
    assert main(["check", art]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mtaudit: error:") and "'colour'" in err and len(err.splitlines()) == 1
    assert main(["--format", "json", art]) == 2  # the single-article command too


def codes(text, cfg):
    return {f.code for f in audit_text(text, config=cfg).all_findings()}


def test_disable_category_and_code_and_severity_override(tmp_path):
    art = write(tmp_path / "a.txt", BAD)
    assert "ENT001" in codes(BAD, load_for(art))
    write(tmp_path / ".mtaudit.toml", 'disable = ["entity"]\n')
    assert not any(c.startswith("ENT") for c in codes(BAD, load_for(art)))
    write(tmp_path / ".mtaudit.toml", 'disable = ["ENT001"]\n')
    assert "ENT001" not in codes(BAD, load_for(art))
    write(tmp_path / ".mtaudit.toml", '[severity]\nENT001 = "info"\n')
    sev = {f.code: f.severity for f in audit_text(BAD, config=load_for(art)).all_findings()}
    assert sev["ENT001"] == "info"
    write(tmp_path / ".mtaudit.toml", '[severity]\nentity = "off"\n')
    assert "ENT001" not in codes(BAD, load_for(art))


def test_sidecar_overrides_project_and_enable_reverts_disable(tmp_path):
    write(tmp_path / ".mtaudit.toml", 'disable = ["entity"]\nfail_on = "warning"\n')
    art = write(tmp_path / "story.txt", BAD)
    write(tmp_path / "story.mtaudit.toml", 'enable = ["entity"]\n')
    cfg = load_for(art)
    assert "entity" not in cfg.disable and cfg.fail_on == "warning"
    assert "ENT001" in codes(BAD, cfg)


def test_allow_file_suppresses_exact_phrases(tmp_path):
    write(tmp_path / "allow.txt", "# house phrases\nsaid &mdash; talks\n\n")
    write(tmp_path / ".mtaudit.toml", 'allow_file = "allow.txt"\n')
    art = write(tmp_path / "a.txt", BAD)
    cfg = load_for(art)
    assert cfg.allow_phrases == ["said &mdash; talks"]
    assert "ENT001" not in codes(BAD, cfg)
    # not an exact phrase of the text (case differs): no effect; the change applies at once
    write(tmp_path / "allow.txt", "said &mdash; TALKS\n")
    assert "ENT001" in codes(BAD, load_for(art))


def test_front_matter_configures_and_is_never_flagged(tmp_path):
    text = '+++\nallow = ["&mdash;"]\ndisable = ["typography"]\n+++\n' + BAD + "Extra  spaces &nbsp; here.\n"
    art = write(tmp_path / "a.txt", text)
    assert front_matter(text)[1].startswith("allow")
    cfg = load_for(art)
    found = audit_text(text, config=cfg).all_findings()
    block_end = len(front_matter(text)[0])
    assert all(f.start is None or f.start >= block_end for f in found)
    assert {f.code for f in found} == {"ENT001"}  # &nbsp; still flagged, &mdash; allowed
    assert not any(f.category == "typography" for f in found)


def test_explicit_config_replaces_search(tmp_path):
    write(tmp_path / ".mtaudit.toml", 'fail_on = "info"\n')
    other = write(tmp_path / "elsewhere" / "conf.toml", 'fail_on = "warning"\n')
    art = write(tmp_path / "a.txt", BAD)
    assert load_for(art, explicit=other).fail_on == "warning"
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_for(art, explicit=str(tmp_path / "nope.toml"))


def test_config_command_prints_effective_configuration(tmp_path, capsys):
    write(tmp_path / ".mtaudit.toml", 'fail_on = "warning"\n[severity]\ntypography = "info"\n[calques]\n"the interlocutor" = "a source"\n')
    art = write(tmp_path / "a.txt", BAD)
    assert main(["config", art, "--format", "json"]) == 0
    eff = json.loads(capsys.readouterr().out)
    assert eff["fail_on"] == "warning" and eff["severity"] == {"typography": "info"}
    assert eff["calques"] == {"the interlocutor": "a source"} and eff["files"] == [str(tmp_path / ".mtaudit.toml")]
    assert main(["config", art]) == 0
    out = capsys.readouterr().out
    assert 'fail_on = "warning"' in out and ".mtaudit.toml" in out
    import tomllib

    tomllib.loads("\n".join(line for line in out.splitlines() if not line.startswith("#")))  # valid TOML


def test_house_data_from_config_reaches_the_detectors(tmp_path):
    write(tmp_path / ".mtaudit.toml",
          'extra_boilerplate = ["Support our newsroom today"]\n[calques]\n"made a statement to the effect" = "said"\n')
    text = "Talks stall\n\nThe minister made a statement to the effect that talks will resume.\nSupport our newsroom today\n"
    art = write(tmp_path / "a.txt", text)
    found = audit_text(text, config=load_for(art)).all_findings()
    cats = {f.category for f in found}
    assert {"boilerplate", "calque"} <= cats, found
    assert not {"boilerplate", "calque"} & {f.category for f in audit_text(text).all_findings()}
