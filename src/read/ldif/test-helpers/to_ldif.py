"""People (the project's generator, JSON on stdin) written as LDIF by python-ldap's LDIFWriter,
as a directory export is: non-ASCII values in base64, lines folded at 76 columns, one entry per
person under ou=people, a jpegPhoto of random-looking bytes. Test helper only: synthetic data."""
import hashlib
import io
import json
import sys

import ldif

people = json.load(sys.stdin)
out = io.StringIO()
writer = ldif.LDIFWriter(out, cols=76)
for i, p in enumerate(people):
    contact = p.get('contact') or {}
    adresse = p.get('adresse') or {}
    entry = {'objectClass': [b'top', b'person', b'inetOrgPerson']}
    def put(name, value):
        if value is None or value == '':
            return
        values = value if isinstance(value, list) else [value]
        entry[name] = [str(v).encode('utf-8') for v in values if v not in (None, '')]
        if not entry[name]:
            del entry[name]
    put('uid', 'u%05d' % i)
    put('cn', ' '.join(x for x in (p.get('prenom'), p.get('nom')) if x))
    put('sn', p.get('nom'))
    put('givenName', p.get('prenom'))
    put('mail', contact.get('email'))
    put('telephoneNumber', contact.get('telephones'))
    put('street', adresse.get('rue'))
    put('postalCode', adresse.get('code_postal'))
    put('l', adresse.get('ville'))
    put('o', p.get('employeur'))
    put('dateOfBirth', p.get('date_naissance'))
    put('nir', p.get('nir'))
    put('iban', p.get('iban'))
    put('siret', p.get('siret'))
    put('userPassword', p.get('mot_de_passe'))
    put('description', p.get('commentaire'))
    entry['jpegPhoto'] = [hashlib.sha512(str(i).encode()).digest() * 4]
    writer.unparse('uid=u%05d,ou=people,dc=exemple,dc=fr' % i, entry)
sys.stdout.write('version: 1\n\n' + out.getvalue())
