"""The Dagster instance `make serve` writes: one run at a time, no telemetry, no sign-up box."""

import dagster as dg

from pipelines import serve


def instance_of(home) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home))


def test_a_fresh_home_gets_our_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    home = serve.dagster_home()
    with instance_of(home) as instance:
        assert instance.nux_enabled is False  # no "Join the Dagster community" box
        assert instance.telemetry_enabled is False
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1


def test_our_file_from_an_earlier_version_is_brought_up_to_date(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    earlier = serve.DAGSTER_YAML.split("# No ")[0]  # as written before the nux setting
    assert "nux" not in earlier
    (home / "dagster.yaml").write_text(earlier)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    serve.dagster_home()
    assert (home / "dagster.yaml").read_text() == serve.DAGSTER_YAML
    with instance_of(home) as instance:
        assert instance.nux_enabled is False


def test_an_analysts_own_file_is_left_alone(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    own = "telemetry:\n  enabled: true\n"
    (home / "dagster.yaml").write_text(own)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    serve.dagster_home()
    assert (home / "dagster.yaml").read_text() == own
