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
