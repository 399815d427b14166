"""The scenarios of tests/scenarios: reading them, and what a verdict must be.

Used by run.py (`validate --history`) and by the integration test that sends
them to the real daemon.
"""
import csv
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))


class Row:
    def __init__(self, folder, fields):
        self.folder = folder
        self.file, self.outcome, self.type, self.retourcode, rules, self.note = fields
        self.rules = [] if rules == "-" else rules.split(",")
        self.path = os.path.join(folder, self.file)


def scenarios(root=HERE):
    """Every scenario folder, in name order, with its rows in file order."""
    out = []
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        manifest = os.path.join(folder, "expected.tsv")
        if not os.path.isfile(manifest):
            continue
        rows = []
        with open(manifest, encoding="utf-8") as f:
            lines = [l for l in f if not l.startswith("#")]
        for fields in list(csv.reader(lines, delimiter="\t"))[1:]:
            if fields:
                rows.append(Row(folder, fields))
        xml = sorted(n for n in os.listdir(folder) if n.endswith(".xml"))
        if xml != sorted(r.file for r in rows):
            raise ValueError(f"{manifest}: the rows do not name the .xml files of {folder}")
        products = os.path.join(folder, "products.ini")
        out.append((name, folder, sorted(rows, key=lambda r: r.file),
                    products if os.path.isfile(products) else None))
    return out


def judge(row, accepted, found):
    """What is wrong with a verdict, or None: accepted is a bool, found the
    (retourcode, rule) pairs of the findings."""
    if row.outcome == "accepted":
        return None if accepted else f"accepted expected, got {sorted(set(found))}"
    if accepted:
        return f"rejected expected ({row.retourcode} {','.join(row.rules)}), got accepted"
    rules = {r for _, r in found}
    missing = [r for r in row.rules if r not in rules]
    extra = sorted(rules - set(row.rules))
    if missing or extra:
        return f"rules {','.join(row.rules)} expected, got {sorted(rules)}"
    first = [c for c, r in found if r == row.rules[0]]
    if row.retourcode not in first:
        return f"retour code {row.retourcode} expected for {row.rules[0]}, got {first}"
    return None


FINDING = re.compile(r"^(.*): rejected (\S+) (\S+) (\S+) (\S+): ")
