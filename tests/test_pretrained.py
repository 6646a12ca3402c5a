"""Unit tests of neurotransfer.pretrained that need no trained model."""

import numpy as np
import pytest

import neurotransfer as nt
from neurotransfer import pretrained


class _Fixed:
    """Stands in for a model: always the same class probabilities."""

    def __call__(self, x, training=False):
        return np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])


def test_accuracy_counts_matching_labels():
    assert pretrained.accuracy(_Fixed(), None, np.array([0, 1, 1])) == pytest.approx(2 / 3)


@pytest.mark.parametrize("y", [np.array([[0], [1], [1]]), np.array([0, 1]), 1])
def test_accuracy_rejects_labels_that_do_not_pair_with_examples(y):
    with pytest.raises(ValueError, match="one integer label per example"):
        pretrained.accuracy(_Fixed(), None, y)


def test_unknown_name_is_a_value_error():
    nt.setup(seed=0)
    with pytest.raises(ValueError, match="unknown model"):
        pretrained.source_data("digits_rnn")
