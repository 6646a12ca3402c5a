"""`neurotransfer.checks`: right answers pass quietly, wrong ones say what is wrong."""

import numpy as np
import pytest

from neurotransfer.checks import SelfCheckError, check_choice, check_close


def test_close_answers_pass_and_report_the_difference(capsys):
    assert check_close("x", [1.0, 2.0], [1.0, 2.0 + 1e-9]) < 1e-8
    assert "✓ x" in capsys.readouterr().out


def test_wrong_shape_nan_and_value_are_explained():
    with pytest.raises(SelfCheckError, match=r"shape \(3,\), got shape \(2,\)"):
        check_close("g", [1, 2], [1, 2, 3])
    with pytest.raises(SelfCheckError, match="NaN or infinite"):
        check_close("g", [np.nan], [1.0])
    with pytest.raises(SelfCheckError, match="Hint: sign"):
        check_close("g", [1.0], [-1.0], hint="sign")


def test_choice():
    check_choice("k", "relu", "relu")
    with pytest.raises(SelfCheckError, match="'tanh' is not the expected one"):
        check_choice("k", "tanh", "relu")
