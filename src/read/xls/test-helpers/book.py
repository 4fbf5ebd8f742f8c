"""Test helper: an .xlsx of synthetic French people with typed cells, written by openpyxl
(Debian's python3-openpyxl for /usr/bin/python3), which xls.test.ts has LibreOffice save as
Excel 97-2003 (.xls). What it holds:
- text with accents (Éloïse, Œuvre, Straße), dates of birth as real dates, a date-time, a
  date before 1904-01-02 is avoided so the same workbook also holds in the 1904 date system;
- numbers (a decimal, a negative, a phone that lost its leading zero), booleans;
- formulas with a cached number, string, boolean (NOT(): LibreOffice stores =G2 or =1=2 as a
  boolean in .xls but as a number in .xlsx, which would differ), error and empty-string result;
- a hidden sheet `Caché`, an empty sheet `Vide` and a second data sheet `Deux`.

Usage: /usr/bin/python3 book.py out.xlsx [1904]
"""
import datetime
import sys

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

out = sys.argv[1]
wb = Workbook()
if len(sys.argv) > 2 and sys.argv[2] == "1904":
    wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.title = "Clients"
ws.append(["nom", "prénom", "email", "téléphone", "naissance", "solde", "actif", "double", "nom complet", "test", "vide"])
ws.append(["Dupont", "Éloïse", "eloise.dupont@exemple.fr", 612345678, datetime.date(1985, 3, 12), 1234.5, True, "=F2*2", '=A2&" "&B2', "=NOT(G2)", '=""'])
ws.append(["Œuvre", "Zoë", None, "+33 6 12 34 56 78", datetime.datetime(2024, 3, 5, 14, 30), 0.1, False, "=1/0", '=B3&" "&A3', "=NOT(G3)", '=""'])
ws.append(["Straße", "Jürgen", "j.strasse@exemple.de", 698765432, datetime.date(1956, 6, 17), -12.75, None, "=F4*2", '=A4&" "&B4', "=NOT(G4)", '=""'])
for r in range(2, 5):
    ws.cell(row=r, column=5).number_format = "dd/mm/yyyy"
ws.cell(row=3, column=5).number_format = "dd/mm/yyyy hh:mm"

hidden = wb.create_sheet("Caché")
hidden.sheet_state = "hidden"
hidden.append(["email", "source"])
hidden.append(["doublon@exemple.fr", "import"])
wb.create_sheet("Vide")
two = wb.create_sheet("Deux")
two.append(["code", "ville"])
two.append([1000, "Bourg-en-Bresse"])
two.append([75001, "Paris"])
wb.save(out)
