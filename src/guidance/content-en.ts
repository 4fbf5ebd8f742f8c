/**
 * The English guidance: the same advice as the French, for people living in France who read
 * English better. The services named are French ones, with their official https addresses.
 */
import type { GuidanceContent, Resource } from './types.js';

const R = {
  cybermalveillance: { name: 'Cybermalveillance.gouv.fr assistance', url: 'https://www.cybermalveillance.gouv.fr' },
  cyber17: { name: '17Cyber: help for victims of cybercrime', url: 'https://www.17cyber.gouv.fr' },
  police: { name: 'Police or gendarmerie (Ma Sécurité)', url: 'https://www.masecurite.interieur.gouv.fr' },
  cnil: { name: 'Complaint to the CNIL (data protection authority)', url: 'https://www.cnil.fr/fr/plaintes' },
  servicePublic: { name: 'Service-public.fr: lost or stolen documents', url: 'https://www.service-public.fr' },
  pharos: { name: 'Pharos: report illegal content', url: 'https://www.internet-signalement.gouv.fr' },
  spamSms: { name: '33700: report a fraudulent text or call', url: 'https://www.33700.fr' },
  signalSpam: { name: 'Signal Spam: report a fraudulent email', url: 'https://www.signal-spam.fr' },
  banqueDeFrance: { name: 'Banque de France', url: 'https://www.banque-france.fr' },
  ants: { name: 'France Titres (ANTS)', url: 'https://ants.gouv.fr' },
  ameli: { name: 'Health insurance (ameli.fr)', url: 'https://www.ameli.fr' },
  impots: { name: 'impots.gouv.fr (tax office, DGFiP)', url: 'https://www.impots.gouv.fr' },
  urssaf: { name: 'URSSAF', url: 'https://www.urssaf.fr' },
  amf: { name: 'AMF: blacklists of investment websites', url: 'https://www.amf-france.org' },
} satisfies Record<string, Resource>;

const identityDocument = (what: string): string[] => [
  `If ${what} was lost or stolen, declare the loss or theft (see service-public.fr): the document will be cancelled.`,
  'Without loss or theft, an exposed number is not a reason to replace the document; do watch your mail and your accounts for a loan, contract or reminder you did not ask for.',
  'If a loan or an account is opened in your name, file a complaint and tell the organisation; the Banque de France can tell you whether you are listed in an incident register (FICP, FCC).',
  'Document applications are made on ants.gouv.fr, typed yourself: never pay "processing fees" asked for by text message or on another site.',
];

export const en: GuidanceContent = {
  general: {
    title: 'What anybody affected by a leak should do',
    points: [
      'Expect fraudulent messages (email, text, call) that use your data to look genuine: a message that knows your name or number is not genuine for that reason.',
      'Never click a link in an unexpected message, even if it seems to come from France Titres (ANTS), the tax office, URSSAF, Ameli, the CAF or your bank. Type the official address of the site yourself.',
      'No public body and no bank asks for a password, a code received by text message or your card details by phone, text or email. When in doubt, hang up and call back the official number you know.',
      'Use a different password for each account (a password manager helps) and turn on two-factor authentication, starting with your email account: it can reset all your other accounts.',
      'Watch your bank statements and your mail for a loan, subscription, parcel or reminder you did not ask for.',
      'In case of doubt or fraud: the cybermalveillance.gouv.fr assistance or 17Cyber will guide you, and you can file a complaint with the police or gendarmerie. Keep the messages you received as evidence.',
    ],
    resources: [R.cybermalveillance, R.cyber17, R.police],
  },
  classes: {
    password: {
      short: 'Password',
      label: 'your password',
      risk: 'With this password, someone can sign in to the account concerned and to every account where you reused it: stolen email and password pairs are tried automatically on thousands of sites.',
      actions: [
        'Change this password now, and everywhere you used the same or a similar one.',
        'Turn on two-factor authentication (an authenticator app or a security key) on your important accounts, starting with your email.',
        'In each account, check the devices and sessions signed in, and sign out those you do not recognise.',
        'A password manager gives you a long, unique password for each site without having to remember them.',
      ],
      resources: [R.cybermalveillance],
    },
    iban: {
      short: 'Bank details (IBAN)',
      label: 'your bank details (IBAN)',
      risk: 'An IBAN does not let anyone withdraw money, but it can be used to set up fraudulent SEPA direct debits, and it makes a fake bank adviser who calls you to "confirm" a transaction sound genuine.',
      actions: [
        'Tell your bank about the leak and ask it to watch your account.',
        'Ask it to accept direct debits only from creditors you authorise (allow list) or to block those you do not know (block list): it must offer this.',
        'Watch your statements and dispute with the bank any direct debit you did not authorise: you have 13 months to do so.',
        'Your bank never asks for a code received by text message, nor to confirm a transaction over the phone: hang up and call the number on your card.',
      ],
      resources: [R.cybermalveillance, R.cyber17],
    },
    nir: {
      short: 'Social security number (NIR)',
      label: 'your social security number (NIR)',
      risk: 'Your social security number never changes. On its own it opens nothing; with your name and date of birth it makes fake messages from the health insurance (Ameli) or a mutual insurer very convincing, and it can help to steal your identity.',
      actions: [
        'Be wary of any message that quotes this number to make you renew a Carte Vitale, pay fees or give your bank details: the health insurance never asks for them by email or text.',
        'Check your reimbursements in your ameli account, typing ameli.fr yourself, and tell your local office (CPAM) about any care you did not receive.',
        'If someone uses your identity (a loan, a contract, an account in your name), file a complaint with the police or gendarmerie and keep the receipt.',
      ],
      resources: [R.ameli, R.police, R.cybermalveillance, R.cnil],
    },
    idCard: {
      short: 'National ID card number',
      label: 'your national ID card number',
      risk: 'With the details of an identity document, fraudsters can try to open an account, take out a loan or a subscription in your name, or pose as France Titres (formerly ANTS) to make you pay fake fees.',
      actions: identityDocument('the card itself'),
      resources: [R.servicePublic, R.ants, R.police, R.banqueDeFrance],
    },
    passport: {
      short: 'Passport number',
      label: 'your passport number',
      risk: 'With the details of a passport, fraudsters can try to open an account, rent or borrow in your name, or pose as France Titres (formerly ANTS) to make you pay fake fees.',
      actions: identityDocument('the passport itself'),
      resources: [R.servicePublic, R.ants, R.police, R.banqueDeFrance],
    },
    drivingLicence: {
      short: 'Driving licence number',
      label: 'your driving licence number',
      risk: 'A licence number can be used to steal your identity, and to name you falsely as the driver of a car caught by a speed camera, so that you lose points instead of someone else.',
      actions: [
        'Check your points balance in your account on ants.gouv.fr, typed yourself; dispute any fine for a vehicle you were not driving.',
        'If the licence itself was lost or stolen, declare the loss or theft (see service-public.fr).',
        'If you were wrongly named as the driver, or a contract was opened in your name, file a complaint with the police or gendarmerie.',
      ],
      resources: [R.ants, R.servicePublic, R.police],
    },
    taxId: {
      short: 'Tax identification number',
      label: 'your tax identification number',
      risk: 'The tax number is your login on impots.gouv.fr. With your name and address, it makes fake tax office messages ("refund pending", "fine to pay") convincing; they lead to a fake site that steals your password or your card.',
      actions: [
        'The tax office never asks for your bank details by email or text: for any refund or payment, type impots.gouv.fr yourself.',
        'Give your online tax account a unique password, and check the address and bank details recorded there.',
        'Forward suspicious emails to Signal Spam, then delete them.',
      ],
      resources: [R.impots, R.signalSpam, R.cybermalveillance],
    },
    health: {
      short: 'Health data',
      label: 'data about your health',
      risk: 'Health data is intimate and cannot be changed. It can be used for blackmail and for targeted scams (a fake insurer refund, a fake laboratory, a fake health professional).',
      actions: [
        'Give in to no demand for money and no threat of disclosure: do not pay, keep the messages and file a complaint with the police or gendarmerie.',
        'Be wary of messages from Ameli, an insurer or a health professional asking for a payment or your details: call back the official number you know.',
        'You can ask the organisation responsible for the leak what it exposed about you (right of access), and complain to the CNIL if it does not answer.',
        'If information about you is published online, report it to Pharos.',
      ],
      resources: [R.police, R.cnil, R.pharos],
    },
    phone: {
      short: 'Phone number',
      label: 'your phone number',
      risk: 'Your number lets fraudsters send you scam texts and calls (fake parcel, fake bank adviser, fake fine). With your name and date of birth, they can also try to get a new SIM card in your name ("SIM swap") to receive your verification codes.',
      actions: [
        'Never give a code received by text message to someone who calls you, whatever the reason: that is how accounts are taken over.',
        'If your phone suddenly loses all signal for no reason, call your operator at once from another phone: it may be a fraudulent SIM swap.',
        'Ask your operator how to protect your line (a customer PIN, stronger checks before any SIM change).',
        "Forward scam texts to 33700 (the operators' free service), then delete them.",
      ],
      resources: [R.spamSms, R.cybermalveillance, R.cyber17],
    },
    dob: {
      short: 'Date of birth',
      label: 'your date of birth',
      risk: 'A date of birth is often used to check your identity over the phone (operator, bank, public bodies), and it never changes. With your name and number, it helps someone pass as you, for instance to get a new SIM card.',
      actions: [
        'Stop treating it as a secret: someone who knows it is not necessarily genuine.',
        'Do not use it as a password, a PIN or an answer to a security question.',
        'If your operator or bank checks your identity with your date of birth alone, ask them for extra protection (a secret code).',
      ],
      resources: [R.cybermalveillance],
    },
    address: {
      short: 'Postal address',
      label: 'your postal address',
      risk: 'Your address lets fraudsters send you fake letters (a fake fine, a fake bailiff, a fake tax notice) and, with other data, pass as you. Published online to harm you, it can expose you to harassment.',
      actions: [
        'Before paying an unusual letter, contact the organisation through its official details, not those in the letter.',
        'If you receive parcels, invoices or reminders for orders you did not place, tell the seller and file a complaint.',
        'If your address is published online to harm you, report it to Pharos and file a complaint; if you are in immediate danger, call 17.',
      ],
      resources: [R.pharos, R.police],
    },
    email: {
      short: 'Email address',
      label: 'your email address',
      risk: 'Your email address receives phishing that imitates France Titres (ANTS), the tax office, URSSAF, Ameli, the CAF or your bank, and it is used as a login to try to get into your accounts.',
      actions: [
        'Never click a link in an unexpected email: type the official address of the site yourself.',
        'Protect your email account with a unique password and two-factor authentication: it can reset all your other accounts.',
        'Forward fraudulent emails to Signal Spam, then delete them.',
      ],
      resources: [R.signalSpam, R.cybermalveillance],
    },
    name: {
      short: 'Name',
      label: 'your first and last name',
      risk: 'Your name alone exposes little, but it makes scam messages more convincing ("Dear Mrs Martin") and, with other data, it helps to steal your identity.',
      actions: [
        'A message that calls you by name is not genuine for that reason: check with the organisation through its official details.',
        'If you find an account or a contract opened in your name, tell the organisation and file a complaint.',
      ],
      resources: [R.cybermalveillance],
    },
    income: {
      short: 'Income level',
      label: 'your income level',
      risk: 'Knowing your income lets fraudsters target their scams: fake investments for high incomes, fake benefits or refunds (CAF, tax office) for modest ones.',
      actions: [
        'Check any benefit or refund on the official site (caf.fr, impots.gouv.fr), typed yourself, never through a link you received.',
        'Be wary of any "guaranteed" high-return investment; before investing, check the AMF blacklists.',
      ],
      resources: [R.amf, R.cybermalveillance],
    },
    employer: {
      short: 'Employer',
      label: 'the name of your employer',
      risk: 'Knowing where you work makes targeted messages possible: a fake IT department, a fake executive asking for an urgent transfer ("CEO fraud"), a fake payslip.',
      actions: [
        "Tell your employer's IT or security team that you are affected by this leak.",
        'Check any urgent request for a transfer or a change of bank details through another channel, with someone you know.',
      ],
      resources: [R.cybermalveillance],
    },
    siret: {
      short: 'SIREN/SIRET number',
      label: 'the SIREN or SIRET number of your business',
      risk: 'SIREN and SIRET numbers are public, but linked to your contact details they make fake invoices convincing, as well as fake messages from URSSAF or from a "business register" asking for fees.',
      actions: [
        'Business formalities are done on the official sites (urssaf.fr, impots.gouv.fr), typed yourself: pay no "directory" or "register" invoice without checking.',
        'Confirm by phone, on a number you know, any request from a supplier or a customer to change their IBAN.',
      ],
      resources: [R.urssaf, R.cybermalveillance],
    },
    accountId: {
      short: 'Account identifier',
      label: 'your account identifier at the breached organisation',
      risk: 'This identifier alone does not let anyone sign in, but a message that quotes it seems to come from the organisation itself.',
      actions: [
        'Do not trust a message because it knows your identifier: go through the official site, typed yourself.',
        'If you used a password with this identifier that you also use elsewhere, change it.',
      ],
      resources: [R.cybermalveillance],
    },
    username: {
      short: 'Username',
      label: 'your username',
      risk: 'A username lets fraudsters find your accounts on other sites and try passwords from other leaks there.',
      actions: [
        'Change the password of the accounts where you use this name if it is reused, and turn on two-factor authentication.',
        'Check what your public profiles show about you.',
      ],
      resources: [R.cybermalveillance],
    },
    ip: {
      short: 'IP address',
      label: 'your IP address',
      risk: 'An IP address shows your internet provider and a rough location, rarely more. It is sometimes quoted in fake blackmail messages ("we hacked your computer") to frighten people.',
      actions: [
        'Never pay a message that claims to have hacked or filmed you: it is a common scam; report it on cybermalveillance.gouv.fr.',
        'For this data alone, nothing else needs doing.',
      ],
      resources: [R.cybermalveillance],
    },
    gender: {
      short: 'Gender (title)',
      label: 'your title (Mr, Mrs, Ms)',
      risk: 'On its own, a title exposes little: it mostly serves to personalise scam messages.',
      actions: ['Nothing in particular for this data alone; stay alert to messages that build on your other exposed data.'],
      resources: [],
    },
  },
};
