"""Writes BSON files as mongodump does (one BSON document after another), with Debian's
python3-bson (pymongo's `bson` module, for /usr/bin/python3). Test fixtures only: synthetic
people, never real ones.

  write-bson.py people OUT.bson          hand-made French people using every common BSON type
  write-bson.py from-ejson IN.json OUT.bson
                                         relaxed or canonical Extended JSON lines (the
                                         generator's `ejson` format) re-encoded as BSON
  write-bson.py gzip IN OUT.gz           gzip'd, as `mongodump --gzip` writes `users.bson.gz`
  write-bson.py zip OUT.zip NAME IN...   a zip holding each IN under the member NAME(s) given
                                         in pairs: NAME IN NAME IN ...
"""
import base64
import datetime
import gzip
import json
import sys
import uuid
import zipfile

import bson
from bson import Decimal128, Int64, ObjectId, Regex
from bson.binary import Binary
from bson.max_key import MaxKey
from bson.min_key import MinKey
from bson.timestamp import Timestamp

EPOCH = datetime.datetime(1970, 1, 1)
UTC = datetime.timezone.utc


def with_key(first13):
    """A NIR with its control key (97 minus the 13 digits modulo 97), written in groups."""
    key = 97 - int(first13) % 97
    d = f"{first13}{key:02d}"
    return f"{d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:10]} {d[10:13]} {d[13:]}"


def people():
    """Five synthetic clients of a French shop, as an application would store them."""
    rows = [
        ("Dupont", "Jean", "jean.dupont@exemple.fr", "06 12 34 56 78", datetime.datetime(1985, 3, 14),
         {"rue": "12 rue de la Paix", "code_postal": "75002", "ville": "Paris"}, with_key("1850375102123")),
        ("Martin", "Élodie", "elodie.martin@exemple.fr", "+33 7 81 22 33 44", datetime.datetime(1962, 11, 2),
         {"rue": "3 place Bellecour", "code_postal": "69002", "ville": "Lyon"}, with_key("2621169123456")),
        ("Lefèvre", "Hélène", "h.lefevre@exemple.fr", "0491234567", datetime.datetime(2001, 7, 30),
         {"rue": "8 quai du Port", "code_postal": "13002", "ville": "Marseille"}, with_key("2010713055321")),
        ("N'Diaye", "Moussa", "moussa.ndiaye@exemple.fr", "06.98.76.54.32", datetime.datetime(1944, 1, 9),
         {"rue": "1 allée des Tilleuls", "code_postal": "97490", "ville": "Saint-Denis"}, with_key("1440197411222")),
        ("Garçon", "Zoé", "zoe.garcon@exemple.fr", "05 56 00 11 22", datetime.datetime(1990, 12, 31),
         {"rue": "25 cours de l'Intendance", "code_postal": "33000", "ville": "Bordeaux"}, with_key("2901233063987")),
    ]
    out = []
    for i, (nom, prenom, email, tel, naissance, adresse, nir) in enumerate(rows):
        out.append({
            "_id": ObjectId(f"65a1b2c3d4e5f6a7b8c9d0{i:02x}"),
            "nom": nom,
            "prénom": prenom,
            "email": email,
            "telephones": [tel, f"01 23 45 67 8{i}"],
            "date_naissance": naissance,
            "adresse": adresse,
            "nir": nir,
            "numero_client": Int64(9007199254740993 + i),
            "points": i * 10,
            "solde": Decimal128(f"{1234 + i}.50"),
            "taux": 0.5 + i,
            "actif": i % 2 == 0,
            "parrain": None,
            "jeton": Binary(uuid.UUID(int=0x8E5A1C4D2B3F4A6E9D7C5B3A19080706 + i).bytes, 4),
            "photo": Binary(b"\x89PNG\r\n" + bytes([i]), 0),
            "inscrit_le": datetime.datetime(2023, 5, 17, 9, 30, 15, 250000),
            "maj": Timestamp(1700000000 + i, 1),
            "motif": Regex("^06", "i"),
            "borne_basse": MinKey(),
            "borne_haute": MaxKey(),
        })
    return out


def hook(o):
    """Extended JSON's wrappers, inner ones first (json's object_hook order)."""
    if len(o) == 1:
        k, v = next(iter(o.items()))
        if k == "$oid":
            return ObjectId(v)
        if k == "$date":
            if isinstance(v, int):
                return EPOCH + datetime.timedelta(milliseconds=v)
            return datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)
        if k == "$numberLong":
            return Int64(int(v))
        if k == "$numberInt":
            return int(v)
        if k == "$numberDouble":
            return float(v)
        if k == "$numberDecimal":
            return Decimal128(v)
        if k == "$binary":
            return Binary(base64.b64decode(v["base64"]), int(v["subType"], 16))
    return o


def main():
    mode = sys.argv[1]
    if mode == "people":
        with open(sys.argv[2], "wb") as out:
            for doc in people():
                out.write(bson.encode(doc))
    elif mode == "from-ejson":
        with open(sys.argv[2], encoding="utf-8") as f, open(sys.argv[3], "wb") as out:
            for line in f:
                if line.strip():
                    out.write(bson.encode(json.loads(line, object_hook=hook)))
    elif mode == "gzip":
        with open(sys.argv[2], "rb") as f, gzip.open(sys.argv[3], "wb") as out:
            out.write(f.read())
    elif mode == "zip":
        with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
            pairs = sys.argv[3:]
            for name, path in zip(pairs[0::2], pairs[1::2]):
                z.write(path, name)
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
