import numpy as np
import pytest

from neurotransfer import regularization as reg


def test_shifts_move_pixels_and_fill_with_zeros():
    image = np.arange(16.0).reshape(1, 4, 4)
    down = reg.shift_images(image, 1, 0)[0]
    np.testing.assert_array_equal(down[0], 0)
    np.testing.assert_array_equal(down[1:], image[0, :-1])
    left = reg.shift_images(image, 0, -1)[0]
    np.testing.assert_array_equal(left[:, :-1], image[0, :, 1:])
    np.testing.assert_array_equal(left[:, -1], 0)
    back = reg.shift_images(reg.shift_images(image, 1, 1), -1, -1)[0]
    np.testing.assert_array_equal(back[:-1, :-1], image[0, :-1, :-1])


def test_augmentation_keeps_labels_and_ink():
    images = np.zeros((3, 8, 8))
    images[:, 3:5, 3:5] = 1.0  # ink away from the border survives every shift
    x, y = reg.augment_with_shifts(images, np.array([1, 2, 3]))
    assert x.shape == (15, 8, 8) and y.tolist() == [1, 2, 3] * 5
    np.testing.assert_allclose(x.sum(axis=(1, 2)), 4.0)


def test_record_training_curves_and_early_stopping():
    import keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 5)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
    model.compile(keras.optimizers.SGD(0.5),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    out = reg.record_training(model, x, y, x, y, steps=30, batch_size=10, eval_every=10)
    assert out["step"].tolist() == [0, 10, 20, 30]
    assert out["train_loss"][-1] < out["train_loss"][0]
    expected = float(model.evaluate(x, y, verbose=0))
    assert out["train_loss"][-1] == pytest.approx(expected, rel=1e-4)
    assert out["best_step"] == out["step"][np.argmin(out["val_loss"])]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="images must have 3 dimension"):
        reg.shift_images(np.ones((8, 8)), 1, 0)
    with pytest.raises(ValueError, match="rows"):
        reg.shift_images(np.ones((1, 8, 8)), 8, 0)
    with pytest.raises(ValueError, match="same length"):
        reg.augment_with_shifts(np.ones((2, 8, 8)), [1])
    with pytest.raises(TypeError, match="model must be a Keras model"):
        reg.record_training(None, np.ones((2, 1)), [0, 1], np.ones((2, 1)), [0, 1], steps=1)
    import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2)])
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with pytest.raises(ValueError, match="steps"):
        reg.record_training(model, np.ones((2, 1)), [0, 1], np.ones((2, 1)), [0, 1], steps=0)
    with pytest.raises(ValueError, match="same length"):
        reg.record_training(model, np.ones((2, 1)), [0], np.ones((2, 1)), [0, 1], steps=1)
    with pytest.raises(ValueError, match=r"y_val must hold labels in 0\.\.1"):
        reg.record_training(model, np.ones((2, 1)), [0, 1], np.ones((2, 1)), [0, 5], steps=1)


def test_data_loss_leaves_out_the_weight_penalty():
    import keras

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(1).normal(size=(20, 4)).astype("float32")
    y = np.arange(20) % 3
    model = keras.Sequential([keras.Input((4,)),
                              keras.layers.Dense(3, kernel_regularizer=keras.regularizers.L2(1.0))])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    loss, acc = reg.data_loss_and_accuracy(model, x, y)
    plain = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, model(x))
    assert loss == pytest.approx(float(plain), rel=1e-5)
    assert float(model.evaluate(x, y, verbose=0)) > loss + 0.1  # Keras adds the penalty
    assert acc == pytest.approx(float((np.asarray(model(x)).argmax(1) == y).mean()))
