"""Test helper: a generated CSV (`;`, UTF-8, header) to an .xlsx workbook with openpyxl,
storing values the way a person pasting the file into a spreadsheet would end up with:
- birth dates (JJ/MM/AAAA) as real dates (serial numbers with a date format);
- phones written with digits only (0612345678) as numbers: the leading zero is lost;
- NIR of 15 digits as numbers (15 significant digits, kept exactly);
- everything else as text (shared strings).
A second sheet `Notes` holds a boolean, decimals, a large integer and a datetime.

Usage: /usr/bin/python3 csv-to-xlsx.py in.csv out.xlsx stats.json
stats.json: {"phonesAsNumbers": n, "datesAsDates": n, "nirAsNumbers": n}
"""
import csv
import datetime
import json
import re
import sys

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

src, out, stats_path = sys.argv[1:4]
wb = Workbook(write_only=True)
ws = wb.create_sheet("Clients")
stats = {"phonesAsNumbers": 0, "datesAsDates": 0, "nirAsNumbers": 0}
date_re = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")

with open(src, newline="", encoding="utf-8-sig") as f:
    reader = csv.reader(f, delimiter=";")
    header = next(reader)
    ws.append(header)
    idx = {name: i for i, name in enumerate(header)}
    for rec in reader:
        row = list(rec)
        d = idx.get("date_naissance")
        if d is not None and d < len(row):
            m = date_re.match(row[d])
            if m:
                try:
                    value = datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    if value.year >= 1900:
                        cell = WriteOnlyCell(ws, value=value)
                        cell.number_format = "DD/MM/YYYY"
                        row[d] = cell
                        stats["datesAsDates"] += 1
                except ValueError:
                    pass
        p = idx.get("telephone")
        if p is not None and p < len(row) and re.fullmatch(r"\d{6,15}", row[p]):
            row[p] = int(row[p])
            stats["phonesAsNumbers"] += 1
        n = idx.get("nir")
        if n is not None and n < len(row) and re.fullmatch(r"[1-9]\d{14}", row[n]):
            row[n] = int(row[n])
            stats["nirAsNumbers"] += 1
        ws.append(row)

notes = wb.create_sheet("Notes")
notes.append(["libellé", "actif", "taux", "numéro", "horodatage"])
when = WriteOnlyCell(notes, value=datetime.datetime(2024, 3, 5, 14, 30, 0))
when.number_format = "yyyy-mm-dd hh:mm:ss"
notes.append(["première", True, 0.1, 612345678, when])
notes.append(["seconde", False, 0.30000000000000004, 123456789012345, None])
wb.save(out)
with open(stats_path, "w") as f:
    json.dump(stats, f)
