from synthdesk.core.epochs import loss_by_epoch, parse_epoch


def test_parse_epoch_messages():
    assert parse_epoch("Epoch 3 of 300 (loss 1.23, -0.45)") == (3, 300, [1.23, -0.45])
    assert parse_epoch("Epoch 1 of 5") == (1, 5, [])
    assert parse_epoch("Training") is None


def test_loss_by_epoch_averages_batches():
    ctgan = [{"Epoch": 0, "Generator Loss": 1.0, "Discriminator Loss": -0.5},
             {"Epoch": 1, "Generator Loss": 0.8, "Discriminator Loss": -0.3}]
    assert loss_by_epoch(ctgan) == [[1.0, -0.5], [0.8, -0.3]]
    tvae = [{"Epoch": 0, "Batch": 0, "Loss": 2.0}, {"Epoch": 0, "Batch": 1, "Loss": 4.0},
            {"Epoch": 1, "Batch": 0, "Loss": 1.0}]
    assert loss_by_epoch(tvae) == [[3.0], [1.0]]
