"""Test helper: a generated CSV (`;`, UTF-8, header) to an .xlsx workbook with openpyxl,
storing values the way a person pasting the file into a spreadsheet would end up with:
- birth dates (JJ/MM/AAAA) as real dates (serial numbers with a date format);
- phones written with digits only (0612345678) as numbers: the leading zero is lost;
- NIR of 15 digits as numbers (15 significant digits, kept exactly);
- everything else as text (shared strings, xl/sharedStrings.xml, as Excel writes them).
A second sheet `Notes` holds a boolean, decimals, a large integer and a datetime.

Usage: /usr/bin/python3 csv-to-xlsx.py in.csv out.xlsx stats.json
stats.json: {"phonesAsNumbers": n, "datesAsDates": n, "nirAsNumbers": n, "sharedStrings": n}
"""
import csv
import datetime
import json
import re
import sys

from openpyxl import Workbook

src, out, stats_path = sys.argv[1:4]
# Not write_only: that mode writes inline strings, where Excel and openpyxl's normal mode
# write a shared-string table.
wb = Workbook()
ws = wb.active
ws.title = "Clients"
stats = {"phonesAsNumbers": 0, "datesAsDates": 0, "nirAsNumbers": 0}
date_re = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")

with open(src, newline="", encoding="utf-8-sig") as f:
    reader = csv.reader(f, delimiter=";")
    header = next(reader)
    ws.append(header)
    idx = {name: i for i, name in enumerate(header)}
    for line, rec in enumerate(reader, start=2):
        row = list(rec)
        fmt = {}
        d = idx.get("date_naissance")
        if d is not None and d < len(row):
            m = date_re.match(row[d])
            if m:
                try:
                    value = datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    if value.year >= 1900:
                        row[d] = value
                        fmt[d] = "DD/MM/YYYY"
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
        for col, code in fmt.items():
            # ws.max_row would scan every cell: the row number is counted instead.
            ws.cell(row=line, column=col + 1).number_format = code

notes = wb.create_sheet("Notes")
notes.append(["libellé", "actif", "taux", "numéro", "horodatage"])
notes.append(["première", True, 0.1, 612345678, datetime.datetime(2024, 3, 5, 14, 30, 0)])
notes["E2"].number_format = "yyyy-mm-dd hh:mm:ss"
notes.append(["seconde", False, 0.30000000000000004, 123456789012345, None])
wb.save(out)


def to_shared_strings(path):
    """openpyxl 3.0 writes text as inline strings; Excel writes a shared-string table.
    Rewrite the workbook the way Excel would: every text cell becomes an index into
    xl/sharedStrings.xml (one entry per distinct string, first-seen order)."""
    import zipfile
    from xml.sax.saxutils import escape
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    table, index = [], {}
    cell_re = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)

    def shared(m):
        text = m.group(3)
        if text not in index:
            index[text] = len(table)
            table.append(text)
        return b'<c ' + m.group(1) + b't="s"' + m.group(2) + b'><v>' + str(index[text]).encode() + b'</v></c>'

    for name in list(parts):
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = cell_re.sub(shared, parts[name])
    sst = b''.join(b'<si><t xml:space="preserve">' + t + b'</t></si>' for t in table)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(table), len(table))
        + sst + b'</sst>'
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b'</Types>',
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b'</Relationships>',
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return len(table)


stats["sharedStrings"] = to_shared_strings(out)
with open(stats_path, "w") as f:
    json.dump(stats, f)
