"""make bench: the table of the test command's phases."""

import bench_notebooks


def _rows(pytest_wall):
    return [("prerequisites check", 0.1, 0.0), ("lint", 1.9, 1.5),
            ("unit tests and doctests", 50.0, 45.0),
            ("**pytest, all of the above together**", pytest_wall, 600.0)]


def test_the_phase_table_adds_up_make_test_and_checks_the_budget():
    info = {"exit": 0, "load": 0.2, "threads": "1", "concurrent": True}
    markdown = bench_notebooks.phase_report(_rows(358.0), info)
    assert "| lint | 2 | 2 |" in markdown
    assert "360 s = 6.0 min (budget 7 min)" in markdown and "every test passed" in markdown
    assert "NT_THREADS=1" in markdown and "over budget" not in markdown
    slow = bench_notebooks.phase_report(_rows(500.0), {**info, "exit": 1, "concurrent": False})
    assert "**over budget**" in slow and "**pytest exit status 1**" in slow
    assert "after the notebooks, not beside them" in slow


def test_the_phases_of_a_finished_run_are_read_from_its_records(tmp_path):
    import json

    phases = {"start": 0.0, "start_cpu": 0.0, "units_start": 5.0, "units_start_cpu": 4.0,
              "units_end": 65.0, "units_end_cpu": 60.0, "nbval_start": 65.0,
              "nbval_start_cpu": 60.0, "nbval_end": 400.0, "nbval_end_cpu": 380.0,
              "book_build_start": 5.0, "book_build_end": 420.0, "book_build_cpu": 390.0,
              "book_start": 420.0, "book_start_cpu": 380.0, "book_end": 480.0,
              "book_end_cpu": 820.0, "end": 481.0, "end_cpu": 821.0, "exitstatus": 0,
              "concurrent": True, "threads": None, "load": 0.3}
    (tmp_path / "phases.json").write_text(json.dumps(phases))
    (tmp_path / "editions.json").write_text(json.dumps(
        {"seconds": {"notebooks": 340.0, "en": 40.0, "zh_CN": 35.0}}))
    rows, info = bench_notebooks.measure_phases(tmp_path)
    table = dict((name, wall) for name, wall, _ in rows)
    assert table["**pytest, all of the above together**"] == 481.0
    assert table["every notebook under nbval"] == 335.0
    assert table["&nbsp;&nbsp;of which the Chinese edition's pages"] == 35.0
    assert table["&nbsp;&nbsp;of which executing every notebook, into the cache both editions "
                 "read"] == 340.0
    assert info["exit"] == 0 and info["load"] == 0.3
