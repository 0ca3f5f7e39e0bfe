"""``synthdesk inspect|run PARENT --child CHILD[:KEY]`` as a user types it."""

import json

import pandas as pd

from tests.cli.test_cli import synthdesk
from tests.related_data import customers_and_invoices, two_sheet_workbook, write_pair


def test_inspect_reports_the_relation_and_orphans(tmp_path):
    parent, child = write_pair(tmp_path, customers=40, orphans=3)
    out = synthdesk("inspect", parent, "--child", child)
    assert out.returncode == 0, out.stderr
    relation = json.loads(out.stdout)["relations"][0]
    assert (relation["parent_key"], relation["child_key"]) == ("customer_id", "customer_id")
    assert relation["orphans"] == 3 and relation["order_column"] == "date"
    assert "3 rows of invoices point at no parent" in relation["notice"]


def test_run_writes_a_folder_and_the_report(tmp_path):
    parent, child = write_pair(tmp_path, customers=60)
    before = child.read_bytes()
    out = synthdesk("run", parent, "--child", f"{child}:customer_id", "-o", tmp_path / "syn",
                    "--report", tmp_path / "r.json", "--quiet")
    assert out.returncode == 0, out.stderr
    assert "100% of children with a valid parent" in out.stderr
    parents = pd.read_csv(tmp_path / "syn" / "customers.csv")
    children = pd.read_csv(tmp_path / "syn" / "invoices.csv")
    assert children["customer_id"].isin(parents["customer_id"]).all()
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["relations"][0]["valid_parent_share"] == 1.0
    assert child.read_bytes() == before  # the input is never changed


def test_two_sheets_of_one_workbook(tmp_path):
    parents, children = customers_and_invoices(50)
    book = two_sheet_workbook(tmp_path / "book.xlsx", parents, children)
    out = synthdesk("run", f"{book}#Customers", "--child", f"{book}#Invoices",
                    "-o", tmp_path / "out.xlsx", "--quiet")
    assert out.returncode == 0, out.stderr
    assert list(pd.read_excel(tmp_path / "out.xlsx", sheet_name=None)) == \
        ["book.Customers", "book.Invoices"]


def test_bad_keys_are_one_plain_line(tmp_path):
    parent, child = write_pair(tmp_path, customers=30)
    out = synthdesk("run", parent, "--child", f"{child}:client", "-o", tmp_path / "syn")
    assert out.returncode == 2
    assert out.stderr.strip() == ("synthdesk: invoices has no column named 'client' to link "
                                  "it to customers.")
    assert not (tmp_path / "syn").exists()
    pd.read_csv(child).assign(country="DE").to_csv(child, index=False)
    out = synthdesk("inspect", parent, "--child", f"{child}:country")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "cannot be the key of customers" in out.stderr


def test_rebalance_and_target_work_on_the_parent_augment_is_refused(tmp_path):
    parent, child = write_pair(tmp_path, customers=120)
    out = synthdesk("run", parent, "--child", child, "-o", tmp_path / "syn", "--quiet",
                    "--rebalance", "country=IT:0.5", "--target", "country",
                    "--holdout", "0.25", "--report", tmp_path / "r.json")
    assert out.returncode == 0, out.stderr
    parents = pd.read_csv(tmp_path / "syn" / "customers.csv")
    assert (parents["country"] == "IT").mean() == 0.5
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["generated_to"]["rebalance"] == {"column": "country",
                                                    "shares": {"IT": 0.5}}
    assert report["usefulness"]["target"] == "country"
    assert "Usefulness (country, auc)" in out.stderr
    out = synthdesk("run", parent, "--child", child, "-o", tmp_path / "aug",
                    "--rebalance", "country=IT:0.5", "--augment")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "not offered for related tables: the real parents would be written with their " \
           "real keys" in out.stderr
    assert not (tmp_path / "aug").exists()
    out = synthdesk("run", parent, "--child", child, "-o", tmp_path / "h", "--generator",
                    "hma", "--condition", "country=DE")
    assert out.returncode == 2 and "HMA cannot generate parents to conditions" in out.stderr
