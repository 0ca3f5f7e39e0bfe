"""Related tables through the core: keys, fakes across children, orphans, output, cancel."""

import dataclasses
import threading
from pathlib import Path

import pandas as pd
import pytest

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.related import (
    ChildSource,
    RelatedJob,
    parse_child,
    parse_table_ref,
    read_related,
    run_related_job,
    run_related_training,
    train_related,
    understand_related,
)
from synthdesk.errors import Cancelled, InvalidChoice
from tests.related_data import customers_and_invoices, two_sheet_workbook, write_pair


def _job(parent: Path, child: Path, out: Path, **kwargs) -> RelatedJob:
    plan = TrainingPlan(holdout=0.2, seed=kwargs.pop("seed", 0),
                        generator=kwargs.pop("generator", "auto"))
    return RelatedJob(Job(parent, out, plan=plan, report=kwargs.pop("report", None),
                          sheet=kwargs.pop("sheet", None)),
                      (ChildSource(child, kwargs.pop("child_sheet", None),
                                   kwargs.pop("key", None)),), **kwargs)


def _understood(job):
    return understand_related(read_related(job), job)


def test_parse_child_and_sheet_references():
    assert parse_child("inv.csv:customer_id") == ChildSource(Path("inv.csv"), None,
                                                             "customer_id")
    assert parse_child("book.xlsx#Invoices:cid") == ChildSource(Path("book.xlsx"), "Invoices",
                                                                "cid")
    assert parse_child(r"C:\data\inv.csv").key is None
    assert parse_table_ref("book.xlsx#Customers") == (Path("book.xlsx"), "Customers")


def test_every_child_points_at_a_new_parent_with_fakes_consistent(tmp_path):
    parent, child = write_pair(tmp_path)
    job = _job(parent, child, tmp_path / "out")
    result = run_related_training(_understood(job), job.parent.plan)
    real_p = pd.read_csv(parent)
    out_p, out_c = result.tables[0].data, result.tables[1].data
    assert result.relations[0]["valid_parent_share"] == 1.0
    assert set(out_c["customer_id"]) <= set(out_p["customer_id"])
    # No real key, name, e-mail or address reaches either table.
    for column in ("customer_id", "name", "email", "address"):
        assert not set(out_p[column]) & set(real_p[column])
    assert not set(out_c["billing_address"]) & set(real_p["address"])
    # The invoice's billing address and name are its synthetic customer's.
    joined = out_c.merge(out_p, on="customer_id")
    assert (joined["billing_address"] == joined["address"]).all()
    assert (joined["customer_name"] == joined["name"]).all()
    assert result.linked_fakes["invoices"]["billing_address"] == "same as address"


def test_a_name_repeated_on_each_invoice_gets_one_fake_per_parent(tmp_path):
    parents, children = customers_and_invoices(120)
    parents.drop(columns=["name"]).to_csv(tmp_path / "customers.csv", index=False)
    children.to_csv(tmp_path / "invoices.csv", index=False)
    job = _job(tmp_path / "customers.csv", tmp_path / "invoices.csv", tmp_path / "out")
    result = run_related_training(_understood(job), job.parent.plan)
    out_c = result.tables[1].data
    assert "customer_name" not in result.linked_fakes["invoices"]  # one per person: fakes
    names = out_c.groupby("customer_id")["customer_name"]
    assert (names.first() == names.last()).all() and (names.nunique() <= 1).all()  # noqa: PD101
    assert not set(out_c["customer_name"]) & set(children["customer_name"])
    assert out_c["customer_name"].nunique() > 20


def test_a_child_with_dates_keeps_each_parents_order(tmp_path):
    parent, child = write_pair(tmp_path)
    job = _job(parent, child, tmp_path / "out")
    understood = _understood(job)
    assert understood.orders == ("date",)
    result = run_related_training(understood, job.parent.plan)
    relation = result.relations[0]
    assert relation["sequence"]["in_order_share"] == 1.0
    out = result.tables[1].data
    dates = pd.to_datetime(out["date"])
    ordered = dates.groupby(out["customer_id"]).apply(lambda d: d.is_monotonic_increasing)
    assert ordered.all()
    assert 25 <= relation["sequence"]["gaps_synthetic"]["median"] <= 35


def test_a_value_one_parent_holds_on_many_children_is_rare(tmp_path):
    parents, children = customers_and_invoices(150)
    owner = children["customer_id"] == children["customer_id"].value_counts().index[0]
    children["coupon"] = "none"
    children.loc[owner, "coupon"] = "VIP-ONLY-ONE"
    parents.to_csv(tmp_path / "c.csv", index=False)
    children.to_csv(tmp_path / "i.csv", index=False)
    job = _job(tmp_path / "c.csv", tmp_path / "i.csv", tmp_path / "out")
    assert owner.sum() >= 5  # more rows than k, but one person
    result = run_related_training(_understood(job), job.parent.plan)
    assert "VIP-ONLY-ONE" not in set(result.tables[1].data["coupon"])


def test_orphans_are_dropped_with_a_notice_or_kept(tmp_path):
    parent, child = write_pair(tmp_path, orphans=12)
    job = _job(parent, child, tmp_path / "out", report=tmp_path / "r.json")
    understood = _understood(job)
    assert understood.matches[0].orphans == 12
    result, report = run_related_job(job, isolated=False)
    assert result.orphans == {"invoices": 12}
    assert "12 rows of invoices point at no parent" in report["relations"][0]["notice"]
    assert result.relations[0]["valid_parent_share"] == 1.0
    kept = _job(parent, child, tmp_path / "kept", keep_orphans=True)
    result = run_related_training(_understood(kept), kept.parent.plan, keep_orphans=True)
    out_p, out_c = result.tables[0].data, result.tables[1].data
    stray = ~out_c["customer_id"].isin(out_p["customer_id"])
    assert 0 < stray.sum() < len(out_c) * 0.1
    assert not set(out_c["customer_id"]) & set(pd.read_csv(child)["customer_id"])


def test_key_missing_is_a_plain_error(tmp_path):
    parent, child = write_pair(tmp_path, customers=30)
    with pytest.raises(InvalidChoice, match="has no column named 'client'"):
        _understood(_job(parent, child, tmp_path / "out", key="client"))


def test_key_not_unique_in_the_parent_is_a_plain_error(tmp_path):
    parents, children = customers_and_invoices(30)
    pd.concat([parents, parents.head(3)]).to_csv(tmp_path / "customers.csv", index=False)
    children.to_csv(tmp_path / "i.csv", index=False)
    job = _job(tmp_path / "customers.csv", tmp_path / "i.csv", tmp_path / "out",
               key="customer_id")
    with pytest.raises(InvalidChoice, match="'customer_id' cannot be the key of customers: "
                                            "3 of its values are on more than one row"):
        _understood(job)


def test_two_sheets_of_one_workbook_in_and_out(tmp_path):
    parents, children = customers_and_invoices(60)
    book = two_sheet_workbook(tmp_path / "book.xlsx", parents, children)
    out = tmp_path / "synthetic.xlsx"
    job = _job(book, book, out, sheet="Customers", child_sheet="Invoices")
    result, report = run_related_job(job, isolated=False)
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["book.Customers", "book.Invoices"]
    assert set(sheets["book.Invoices"]["customer_id"]) <= set(sheets["book.Customers"]["customer_id"])
    assert report["relations"][0]["child_key"] == "customer_id"


def test_folder_output_holds_one_csv_per_table(tmp_path):
    parent, child = write_pair(tmp_path, customers=60)
    out = tmp_path / "synthetic"
    _, report = run_related_job(_job(parent, child, out, report=tmp_path / "r.html"),
                                isolated=False)
    assert sorted(p.name for p in out.iterdir()) == ["customers.csv", "invoices.csv"]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Children with a valid parent" in page
    assert not any(name in page for name in pd.read_csv(parent)["name"])
    assert report["tables"]["invoices"]["quality"]["overall"] > 0.5
    evidence = [c["evidence"] for t in report["tables"].values() for c in t["columns"]]
    assert not [e for e in evidence if " from " in e]  # no real lowest or highest value


def test_a_bad_output_leaves_nothing(tmp_path):
    parent, child = write_pair(tmp_path, customers=30)
    with pytest.raises(InvalidChoice, match="folder"):
        run_related_job(_job(parent, child, tmp_path / "out.csv"), isolated=False)
    assert not (tmp_path / "out.csv").exists()


def test_cancel_stops_the_training_process(tmp_path):
    parent, child = write_pair(tmp_path, customers=200)
    job = _job(parent, child, tmp_path / "out")
    understood = _understood(job)
    from synthdesk.core.progress import CancelToken

    cancel = CancelToken()
    started = threading.Event()

    def progress(fraction, message):
        if fraction > 0.05:
            started.set()
            cancel.cancel()

    with pytest.raises(Cancelled):
        train_related(understood, job.parent.plan, progress=progress, cancel=cancel)
    assert started.is_set()


def test_a_single_table_generator_is_refused_in_plain_words(tmp_path):
    from synthdesk.core.related import make_related_generator

    with pytest.raises(InvalidChoice, match="cannot learn related tables: choose Choose for me"):
        make_related_generator("gaussian_copula", 0)
    assert make_related_generator("auto", 0)[0] == "cart"


def test_a_rebalanced_parent_column_brings_its_children_along(tmp_path):
    from synthdesk.generators.conditions import Rebalance

    parent, child = write_pair(tmp_path, customers=150)
    job = _job(parent, child, tmp_path / "out")
    plan = TrainingPlan(holdout=0.2, seed=0, rebalance=Rebalance("country", (("IT", 0.6),)))
    result = run_related_training(_understood(job), plan)
    out_p, out_c = result.tables[0].data, result.tables[1].data
    assert (out_p["country"] == "IT").mean() == pytest.approx(0.6, abs=0.02)
    # Italians have 4-8 invoices, Germans 1-3: each parent's children follow it.
    counts = out_c.groupby("customer_id").size().reindex(out_p["customer_id"], fill_value=0)
    per_country = counts.groupby(out_p.set_index("customer_id")["country"]).mean()
    assert per_country["IT"] > per_country["DE"] + 2
    assert result.relations[0]["valid_parent_share"] == 1.0


def test_a_condition_and_a_target_on_the_parent(tmp_path):
    from synthdesk.generators.conditions import Condition

    parent, child = write_pair(tmp_path, customers=150)
    job = _job(parent, child, tmp_path / "out", report=tmp_path / "r.json")
    plan = TrainingPlan(holdout=0.25, seed=0, conditions=(Condition("age", low="30", high="50"),),
                        target="country")
    job = RelatedJob(dataclasses.replace(job.parent, plan=plan), job.children)
    result, report = run_related_job(job, isolated=False)
    ages = result.tables[0].data["age"]
    assert ages.between(30, 50).all()
    assert report["generated_to"]["conditions"] == ["age=30..50"]
    usefulness = report["usefulness"]
    assert usefulness["target"] == "country" and usefulness["metric"] == "auc"
    # Invoices per customer tell a German from the rest, in real and synthetic parents.
    assert usefulness["real"] > 0.8 and usefulness["synthetic"] > 0.7


def test_what_is_refused_for_related_tables_says_why(tmp_path):
    from synthdesk.core.related import make_related_generator
    from synthdesk.generators.conditions import Condition, Rebalance

    parent, child = write_pair(tmp_path, customers=40)
    understood = _understood(_job(parent, child, tmp_path / "out"))
    cases = [
        (TrainingPlan(holdout=0.2, rebalance=Rebalance("country"), augment=True),
         "not offered for related tables: the real parents would be written"),
        (TrainingPlan(holdout=0.2, conditions=(Condition("amount", "5"),)),
         "customers has no column named 'amount': conditions, rebalancing and the target "
         "apply to the parent table"),
        (TrainingPlan(target="country"), "A target needs parents set aside"),
        (TrainingPlan(holdout=0.2, target="customer_id"), "cannot be the target"),
    ]
    for plan, message in cases:
        with pytest.raises(InvalidChoice, match=message):
            run_related_training(understood, plan)
    with pytest.raises(InvalidChoice, match="HMA cannot generate parents to conditions"):
        make_related_generator("hma", 0, TrainingPlan(rebalance=Rebalance("country")))


def test_the_automatic_holdout_counts_parents(tmp_path):
    from synthdesk.core.related import protect_related

    parent, child = write_pair(tmp_path, customers=260)
    understood = _understood(_job(parent, child, tmp_path / "out"))
    protected = protect_related(understood, TrainingPlan())
    assert len(protected.holdout.frames["customers"]) == 52  # 20% from 250 parents up
    small = _understood(_job(*write_pair(tmp_path, customers=100), tmp_path / "o2"))
    assert protect_related(small, TrainingPlan()).holdout is None


def test_a_leak_message_names_its_table():
    from synthdesk.core.related import leak_table, table_leak_message
    from synthdesk.privacy.leaks import Leak
    from synthdesk.schema.columns import ColumnSpec, Kind

    specs = [ColumnSpec("amount", Kind.DECIMAL, sensitive=True)]
    message = table_leak_message("book.Invoices", [Leak("amount", "amount", 3)], specs)
    names = ["book", "book.Invoices", "tickets"]
    assert leak_table(message, names) == 1  # not the main table whose name begins it
    assert leak_table(table_leak_message("book", [Leak("amount", "amount", 3)], specs),
                      names) == 0
    assert leak_table("Training stopped.", names) is None
