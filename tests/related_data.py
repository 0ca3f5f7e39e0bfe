"""Customers and their invoices, made for the related-tables tests (no real person)."""

import numpy as np
import pandas as pd


def customers_and_invoices(customers: int = 150, seed: int = 0,
                           orphans: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers (key, name, e-mail, address, country, age) and their dated invoices.

    Customers in DE have 1-3 invoices, others 4-8; invoices come every 30 days or so, the
    amount grows by 5 with each one (a trend per customer), the billing address is the
    customer's address and the customer's name is on every invoice. ``orphans`` invoices
    point at customers that do not exist.
    """
    from faker import Faker

    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    country = rng.choice(["DE", "FR", "IT"], customers, p=[0.5, 0.3, 0.2])
    parents = pd.DataFrame({
        "customer_id": [f"C{1000 + i}" for i in range(customers)],
        "name": [fake.name() for _ in range(customers)],
        "email": [fake.email() for _ in range(customers)],
        "address": [fake.street_address() for _ in range(customers)],
        "country": country,
        "age": rng.integers(20, 80, customers),
    })
    count = np.where(country == "DE", rng.integers(1, 4, customers),
                     rng.integers(4, 9, customers))
    links = np.repeat(np.arange(customers), count)
    position = np.concatenate([np.arange(c) for c in count])
    start = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 200, customers),
                                                         unit="D")
    dates = start[links] + pd.to_timedelta(position * 30 + rng.integers(0, 5, len(links)),
                                           unit="D")
    base = np.where(country[links] == "DE", 100.0, 20.0)
    children = pd.DataFrame({
        "invoice_no": np.arange(len(links)) + 1,
        "customer_id": parents["customer_id"].to_numpy()[links],
        "customer_name": parents["name"].to_numpy()[links],
        "date": dates.strftime("%Y-%m-%d"),
        "amount": (base + position * 5 + rng.normal(0, 3, len(links))).round(2),
        "billing_address": parents["address"].to_numpy()[links],
    })
    if orphans:
        extra = children.sample(orphans, random_state=seed).assign(
            customer_id=[f"X{9000 + i}" for i in range(orphans)],
            invoice_no=np.arange(orphans) + len(children) + 1)
        children = pd.concat([children, extra], ignore_index=True)
    # Shuffled, as exports are: the order of a customer's invoices is in the dates only.
    children = children.sample(frac=1, random_state=seed).reset_index(drop=True)
    return parents, children


def write_pair(folder, **kwargs):
    """Write the pair as customers.csv and invoices.csv in ``folder``; return both paths."""
    parents, children = customers_and_invoices(**kwargs)
    parent_path, child_path = folder / "customers.csv", folder / "invoices.csv"
    parents.to_csv(parent_path, index=False)
    children.to_csv(child_path, index=False)
    return parent_path, child_path


def two_sheet_workbook(path, parents: pd.DataFrame, children: pd.DataFrame):
    """Write parents and children as the sheets Customers and Invoices of one workbook."""
    with pd.ExcelWriter(path) as writer:
        parents.to_excel(writer, sheet_name="Customers", index=False)
        children.to_excel(writer, sheet_name="Invoices", index=False)
    return path


def support_tickets(parents: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """Support tickets of some of ``parents``' customers: the customer's key, a topic, a date."""
    rng = np.random.default_rng(seed)
    count = rng.integers(0, 4, len(parents))
    links = np.repeat(np.arange(len(parents)), count)
    return pd.DataFrame({
        "ticket": np.arange(len(links)) + 1,
        "customer_id": parents["customer_id"].to_numpy()[links],
        "topic": rng.choice(["billing", "delivery", "returns"], len(links)),
        "minutes": rng.gamma(2.0, 10.0, len(links)).round(1),
    })
