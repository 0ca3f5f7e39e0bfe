"""One estimate of the whole job, and the progress bar and time left that follow from it."""

import json

import pytest

from synthdesk.cli.main import main
from synthdesk.core.estimate import PHASES, estimate_for, estimate_job
from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import load_table, run_job, run_training, write_report
from synthdesk.progress import Phase, PhaseBar, TimeLeft, describe_duration


def test_auto_has_the_figure_of_the_generator_it_picks():
    assert estimate_job(10_000, 55) == estimate_job(10_000, 55, "cart")
    assert estimate_job(10_000, 55).generator == "cart"
    # A tiny table: the copula is picked, and gives the same figure.
    assert estimate_job(63, 11) == estimate_job(63, 11, "gaussian_copula")
    # With rows set aside, auto decides on the rows it learns, as the pipeline does.
    assert estimate_job(110, 5, holdout_share=0.5).generator == "gaussian_copula"


def test_phases_add_up_and_grow_with_the_table():
    small = estimate_job(1_000, 10, text_columns=3)
    large = estimate_job(1_000_000, 20, text_columns=6)
    for estimate in (small, large):
        assert estimate.total_s == pytest.approx(sum(estimate.seconds(p) for p in PHASES))
        assert estimate.training_s < estimate.total_s
        assert all(estimate.seconds(p) > 0 for p in PHASES)
        assert estimate.to_dict()["seconds"]["total"] == round(estimate.total_s, 1)
    assert all(large.seconds(p) > small.seconds(p) for p in ("read", "fit", "sample", "write"))
    # Fakes for replaced columns take time of their own.
    assert estimate_job(20_000, 24, replaced_columns=6).check_s > \
        estimate_job(20_000, 24).check_s
    assert estimate_job(20_000, 24, replaced_columns=6, faked_columns=0).check_s == \
        estimate_job(20_000, 24).check_s  # fresh identifiers cost next to nothing


def test_neural_generators_are_estimated_slower_and_scale_with_epochs():
    fast = estimate_job(1000, 10, "gaussian_copula").fit_s
    slow = estimate_job(1000, 10, "ctgan", epochs=300).fit_s
    assert fast < slow < estimate_job(1000, 10, "ctgan", epochs=600).fit_s
    assert fast < estimate_job(1000, 10, "tvae", epochs=300).fit_s < slow
    assert estimate_job(1000, 10, "tvae").epochs == 300  # the default, stated
    assert estimate_job(1000, 10, "cart", epochs=50).epochs is None


def test_estimate_for_counts_the_columns_the_plan_learns(small_frame, tmp_path):
    _, specs = _read(small_frame, tmp_path)
    estimate = estimate_for(small_frame, specs, TrainingPlan("gaussian_copula", rows=500))
    assert (estimate.rows, estimate.columns, estimate.output_rows) == (60, 5, 500)
    assert estimate.learned_columns == 5
    assert estimate == estimate_for(small_frame, specs, TrainingPlan("gaussian_copula", rows=500))


def _read(frame, folder):
    """The table and its detected columns, as the pipeline reads them (from a CSV)."""
    path = folder / "table.csv"
    frame.to_csv(path, index=False)
    return load_table(path)


def test_the_bar_gives_each_phase_its_share_of_the_estimate():
    estimate = estimate_job(50_000, 12)
    bar = estimate.bar()
    assert bar.stages == ("preparing", "learning", "generating", "scoring")
    start, end = bar.span("fit")
    assert end - start == pytest.approx(estimate.fit_s / estimate.training_s)
    assert bar.span("start")[0] == 0.0 and bar.span("score")[1] == 1.0
    # The whole job's bar holds the training's in one piece, in the same proportions.
    job = estimate.bar(reading=True, writing=True)
    first, last = job.span("start", "score")
    assert (last - first) == pytest.approx(estimate.training_s / estimate.total_s)
    assert job.span("fit")[0] == pytest.approx(first + (last - first) * start)
    assert job.locate(job.span("read")[0])[0] == "preparing"
    assert job.locate(job.span("write")[0] + 1e-9)[0] == "scoring"


def test_time_left_follows_the_current_stage_and_adds_the_estimate_of_the_rest():
    bar = PhaseBar([Phase("protect", "preparing", 10), Phase("fit", "learning", 60),
                    Phase("sample", "generating", 10), Phase("score", "scoring", 20)])
    left = TimeLeft(bar, started=0.0)
    assert left.remaining(0.0) == pytest.approx(100)
    learning = bar.stage_span("learning")
    left.update(learning[0], now=9.0)  # preparing is done: its border is its own
    assert left.stage == "preparing" and left.remaining(9.0) == pytest.approx(90)
    left.update(learning[0] + 1e-9, now=10.0)  # preparing took its 10 s
    assert left.stage == "learning"
    # A first small step says little: the estimate still carries the time left.
    left.update(learning[0] + 0.01 * (learning[1] - learning[0]), now=11.0)
    assert left.remaining(11.0) == pytest.approx(59 + 30, abs=2)
    # Half the learning done in 15 s, faster than the estimate: the rate is believed.
    left.update(learning[0] + 0.5 * (learning[1] - learning[0]), now=25.0)
    assert left.remaining(25.0) == pytest.approx(15 + 30)
    left.update(bar.stage_span("scoring")[0] + 1e-9, now=40.0)
    assert left.remaining(40.0) == pytest.approx(20)


def test_time_left_grows_when_a_stage_overruns_its_estimate():
    bar = PhaseBar([Phase("fit", "learning", 10), Phase("score", "scoring", 5)])
    left = TimeLeft(bar, started=0.0)
    scoring = bar.stage_span("scoring")
    left.update(scoring[0] + 1e-9, now=10.0)  # scoring starts, then reports nothing
    shown = [left.remaining(10.0 + t) for t in (0, 3, 5, 10, 30, 60)]
    assert shown[0] == pytest.approx(5) and shown[2] == pytest.approx(0, abs=1e-3)
    assert shown[3] < shown[4] < shown[5]  # past its 5 s: more left, not "5 seconds"
    assert shown[5] >= 50
    # A stage stuck half way: its own rate says as long again as it has taken.
    left.update(scoring[0] + 0.5 * (scoring[1] - scoring[0]), now=80.0)
    assert left.remaining(80.0) < left.remaining(140.0) < left.remaining(200.0)
    assert left.remaining(200.0) == pytest.approx(190, rel=0.01)


def test_time_left_never_goes_back_a_stage():
    bar = PhaseBar([Phase("fit", "learning", 10), Phase("score", "scoring", 10)])
    left = TimeLeft(bar, started=0.0)
    left.update(0.9, now=5.0)
    left.update(0.2, now=6.0)  # a late message from the stage before
    assert left.stage == "scoring"


def _stages_seen(events, bar):
    """The stages ``events`` fall in, in order, each once; and whether fractions only grow."""
    fractions = [fraction for fraction, _ in events]
    stages = list(dict.fromkeys(bar.locate(f)[0] for f in fractions))
    return stages, all(b >= a for a, b in zip(fractions, fractions[1:], strict=False))


def test_run_training_reports_the_stages_in_order_with_growing_fractions(small_frame, tmp_path):
    table, specs = _read(small_frame, tmp_path)
    plan = TrainingPlan("gaussian_copula", seed=1)
    events = []
    result = run_training(table.data, specs, plan, progress=lambda f, m: events.append((f, m)))
    assert result.estimate == estimate_for(table.data, specs, plan)
    stages, growing = _stages_seen(events, result.estimate.bar())
    assert growing and events[-1][0] == 1.0
    assert stages == ["preparing", "learning", "generating", "scoring"]


def test_run_job_says_its_estimate_then_reports_stages_in_order(penguins, tmp_path):
    events, said = [], []
    job = Job(input=penguins, output=tmp_path / "out.csv", report=tmp_path / "report.json",
              plan=TrainingPlan("cart", seed=2))
    result = run_job(job, progress=lambda f, m: events.append((f, m)), isolated=False,
                     estimated=said.append)
    assert len(said) == 1 and said[0] == result.training.estimate
    table, specs = load_table(penguins)
    assert said[0] == estimate_for(table.data, specs, job.plan)
    stages, growing = _stages_seen(events, said[0].bar(reading=True, writing=True))
    assert growing and events[-1] == (1.0, "Done")
    assert stages == ["preparing", "learning", "generating", "scoring"]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["estimate"] == said[0].to_dict()  # the report states what was expected
    write_report(report, tmp_path / "report.html", table.data, result.training.synthetic,
                 result.columns)
    expected = said[0].to_dict()["seconds"]
    assert f"(expected {expected['total']:.0f} s in all" in \
        (tmp_path / "report.html").read_text(encoding="utf-8")


def test_inspect_prints_the_estimate_the_job_uses(penguins, capsys):
    assert main(["inspect", str(penguins)]) == 0
    printed = json.loads(capsys.readouterr().out)["estimate"]
    table, specs = load_table(penguins)
    expected = estimate_for(table.data, specs, TrainingPlan())
    assert printed == expected.to_dict()
    assert printed == estimate_for(table.data, specs, TrainingPlan(expected.generator)).to_dict()
    assert printed["training"] == expected.in_words()


def test_durations_in_words():
    assert describe_duration(3) == "a few seconds"
    assert describe_duration(8) == "about 10 seconds"
    assert describe_duration(42) == "about 40 seconds"
    assert describe_duration(61) == "about 1 minute"
    assert describe_duration(7200) == "about 2.0 hours"


def test_a_bar_of_phases_expected_to_take_no_time_is_shared_evenly():
    bar = PhaseBar([Phase("a", "preparing", 0), Phase("b", "scoring", 0)])
    assert bar.span("a") == (0.0, 0.5) and bar.span("b") == (0.5, 1.0)
    with pytest.raises(ValueError):
        PhaseBar([])



def test_related_tables_are_estimated_by_the_same_terms_and_their_bar_runs_in_order(tmp_path):
    from synthdesk.cli.main import main as cli
    from synthdesk.core.estimate import estimate_related, machine_slowdown
    from synthdesk.core.related import (
        ChildSource,
        RelatedJob,
        read_related,
        related_estimate,
        run_related_job,
        understand_related,
    )
    from tests.related_data import write_pair

    parent, child = write_pair(tmp_path, customers=120)
    job = RelatedJob(Job(parent, tmp_path / "out", plan=TrainingPlan(holdout=0.2, seed=1),
                         report=tmp_path / "r.json"), (ChildSource(child),))
    understood = understand_related(read_related(job), job)
    estimate = related_estimate(understood, job.parent.plan)
    tables = [(t.data, t.columns) for t in understood.tables]
    one_by_one = [estimate_for(data, specs, TrainingPlan("cart", holdout=0.2))
                  for data, specs in tables]
    # The parent priced as a job of its own; the child learns its parent's columns too.
    assert estimate.fit_s > sum(p.fit_s for p in one_by_one)
    assert estimate.start_s == pytest.approx(max(p.start_s for p in one_by_one))
    assert estimate.output_rows == sum(len(data) for data, _ in tables)
    assert estimate == estimate_related(tables, job.parent.plan)
    twice = estimate_related(tables, TrainingPlan(holdout=0.2, rows=240))
    assert twice.output_rows == 2 * estimate.output_rows and twice.sample_s > estimate.sample_s
    assert estimate.slowdown == machine_slowdown()
    events, said = [], []
    _, report = run_related_job(job, progress=lambda f, m: events.append((f, m)),
                                isolated=False, estimated=said.append)
    assert said == [estimate] and report["estimate"] == estimate.to_dict()
    stages, growing = _stages_seen(events, estimate.bar(reading=True, writing=True))
    assert growing and stages == ["preparing", "learning", "generating", "scoring"]
    assert cli(["inspect", str(parent), "--child", str(child)]) == 0


def test_the_estimate_follows_the_machines_load():
    from synthdesk.core.estimate import machine_slowdown

    assert machine_slowdown(0.2, 2) == 1.0  # a core to spare
    assert machine_slowdown(3.0, 2) == pytest.approx(2.0)
    assert machine_slowdown(3.0, 8) == 1.0
    idle, busy = (estimate_job(20_000, 24, slowdown=s) for s in (1.0, 2.0))
    assert busy.total_s == pytest.approx(2 * idle.total_s)
    assert busy.to_dict()["slowdown"] == 2.0
    # The bar's shares do not depend on the load.
    assert busy.bar().span("fit") == pytest.approx(idle.bar().span("fit"))
