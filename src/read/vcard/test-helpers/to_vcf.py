"""People (the project's generator, JSON on stdin) written as vCard 3.0 by python-vobject, as an
address book export is: a card per person, escaped commas and semicolons, long lines folded, a
PHOTO in base64. Test helper only: synthetic data."""
import hashlib
import json
import sys

import vobject

people = json.load(sys.stdin)
out = []
for i, p in enumerate(people):
    contact = p.get('contact') or {}
    adresse = p.get('adresse') or {}
    c = vobject.vCard()
    c.add('n').value = vobject.vcard.Name(family=p.get('nom') or '', given=p.get('prenom') or '')
    c.add('fn').value = ' '.join(x for x in (p.get('prenom'), p.get('nom')) if x) or 'Sans nom'
    if contact.get('email'):
        e = c.add('email')
        e.value = contact['email']
        e.type_param = 'INTERNET'
    for kind, tel in zip(('CELL', 'HOME', 'WORK'), contact.get('telephones') or []):
        t = c.add('tel')
        t.value = tel
        t.type_param = kind
    if adresse.get('rue') or adresse.get('ville'):
        c.add('adr').value = vobject.vcard.Address(street=adresse.get('rue') or '', city=adresse.get('ville') or '', code=adresse.get('code_postal') or '')
    if p.get('date_naissance'):
        c.add('bday').value = p['date_naissance']
    if p.get('employeur'):
        c.add('org').value = [p['employeur']]
    if p.get('commentaire'):
        c.add('note').value = p['commentaire']
    photo = c.add('photo')
    photo.encoding_param = 'b'
    photo.type_param = 'JPEG'
    photo.value = hashlib.sha512(str(i).encode()).digest() * 2
    out.append(c.serialize())
sys.stdout.write(''.join(out))
