from synthdesk.core.estimate import describe_duration, estimate_seconds, parse_epoch


def test_neural_generators_are_estimated_slower_and_scale_with_epochs():
    fast = estimate_seconds("gaussian_copula", 1000, 10)
    slow = estimate_seconds("ctgan", 1000, 10, epochs=300)
    assert fast < slow < estimate_seconds("ctgan", 1000, 10, epochs=600)


def test_durations_in_words():
    assert describe_duration(3) == "about 5 seconds"
    assert describe_duration(42) == "about 40 seconds"
    assert describe_duration(61) == "about 1 minute"
    assert describe_duration(7200) == "about 2.0 hours"


def test_parse_epoch_messages():
    assert parse_epoch("Epoch 3 of 300 (loss 1.23, -0.45)") == (3, 300, [1.23, -0.45])
    assert parse_epoch("Epoch 1 of 5") == (1, 5, [])
    assert parse_epoch("Training") is None
