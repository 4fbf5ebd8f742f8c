"""Test helper: a CSV (`,`, UTF-8, header) to an .xlsx workbook whose cells are all text
(openpyxl), so that LibreOffice's HTML export of it shows every value as written.

Usage: /usr/bin/python3 csv-to-text-xlsx.py in.csv out.xlsx
"""
import csv
import sys

from openpyxl import Workbook

src, out = sys.argv[1:3]
wb = Workbook()
ws = wb.active
ws.title = "Clients"
with open(src, newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.number_format = "@"
wb.save(out)
