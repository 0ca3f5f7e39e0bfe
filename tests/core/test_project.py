import pytest

from synthdesk.core.job import TrainingPlan
from synthdesk.core.project import Project, load_project, save_project
from synthdesk.errors import ImportFailed
from synthdesk.schema.columns import Action, ColumnSpec, Kind


def test_project_round_trips_choices_but_no_data(tmp_path):
    project = Project(
        input=tmp_path / "table.csv",
        sheet="Sheet2",
        columns=(ColumnSpec("email", Kind.TEXT, 0.1, True, "looks like e-mail", "email",
                            None, Action.FAKE),
                 ColumnSpec("when", Kind.DATE, date_format="%Y-%m-%d", action=Action.DROP),
                 ColumnSpec("rate", Kind.DECIMAL, evidence="numbers written as percentages",
                            decimals=1, unit="%", quasi_identifier=True)),
        plan=TrainingPlan("ctgan", rows=500, seed=7, epochs=12, holdout=0.3,
                          target="species", subject="customer_id"),
        output_format="xlsx",
        header_row=3,
        delimiter=";",
    )
    path = tmp_path / "job.synthdesk"
    save_project(project, path)
    assert load_project(path) == project


def test_not_a_project_is_refused(tmp_path):
    path = tmp_path / "x.synthdesk"
    path.write_text("{\"hello\": 1}")
    with pytest.raises(ImportFailed, match="not a SynthDesk project"):
        load_project(path)
    path.write_text("not json")
    with pytest.raises(ImportFailed):
        load_project(path)


def test_project_keeps_the_relation(tmp_path):
    from synthdesk.core.related import ChildSource

    project = Project(input=tmp_path / "book.xlsx", sheet="Customers",
                      children=(ChildSource(tmp_path / "book.xlsx", "Invoices", "customer_id",
                                            "id", "date"),),
                      keep_orphans=True)
    path = tmp_path / "job.synthdesk"
    save_project(project, path)
    assert load_project(path) == project


def test_project_keeps_each_related_tables_columns(tmp_path):
    from synthdesk.core.related import ChildSource

    invoices = ChildSource(tmp_path / "invoices.csv", None, "customer_id", "customer_id", "")
    tickets = ChildSource(tmp_path / "book.xlsx", "Tickets", "cust", "customer_id", "opened")
    project = Project(
        input=tmp_path / "customers.csv", children=(invoices, tickets),
        child_columns=((ColumnSpec("amount", Kind.DECIMAL, action=Action.DROP),),
                       (ColumnSpec("topic", Kind.CATEGORY, quasi_identifier=True),
                        ColumnSpec("opened", Kind.DATE, date_format="%Y-%m-%d"))),
        keep_orphans=True)
    path = tmp_path / "job.synthdesk"
    save_project(project, path)
    again = load_project(path)
    assert again == project
    assert again.children[0].order == ""  # no order column, as chosen: not detected again
    assert again.columns_of(1)[1].date_format == "%Y-%m-%d"
    assert again.columns_of(5) == ()  # a table the project has no choices for: as detected
