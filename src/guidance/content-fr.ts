/**
 * La version française des conseils : pour une personne, pas pour un juriste. Le vouvoiement,
 * des phrases courtes, et seulement des adresses officielles en https que l’on tape soi-même.
 * Les espaces avant « : ; ! ? » sont ordinaires ici ; `index.ts` les rend insécables.
 */
import type { GuidanceContent, Resource } from './types.js';

const R = {
  cybermalveillance: { name: 'Assistance Cybermalveillance.gouv.fr', url: 'https://www.cybermalveillance.gouv.fr' },
  cyber17: { name: '17Cyber : aide aux victimes de cybermalveillance', url: 'https://www.17cyber.gouv.fr' },
  police: { name: 'Police ou gendarmerie (Ma Sécurité)', url: 'https://www.masecurite.interieur.gouv.fr' },
  cnil: { name: 'Plainte à la CNIL', url: 'https://www.cnil.fr/fr/plaintes' },
  servicePublic: { name: 'Service-public.fr : perte ou vol de papiers', url: 'https://www.service-public.fr' },
  pharos: { name: 'Pharos : signaler un contenu illicite', url: 'https://www.internet-signalement.gouv.fr' },
  spamSms: { name: '33700 : signaler un SMS ou un appel frauduleux', url: 'https://www.33700.fr' },
  signalSpam: { name: 'Signal Spam : signaler un e-mail frauduleux', url: 'https://www.signal-spam.fr' },
  banqueDeFrance: { name: 'Banque de France', url: 'https://www.banque-france.fr' },
  ants: { name: 'France Titres (ANTS)', url: 'https://ants.gouv.fr' },
  ameli: { name: 'Assurance maladie (ameli.fr)', url: 'https://www.ameli.fr' },
  impots: { name: 'impots.gouv.fr (DGFiP)', url: 'https://www.impots.gouv.fr' },
  urssaf: { name: 'URSSAF', url: 'https://www.urssaf.fr' },
  amf: { name: 'AMF : listes noires des sites d’investissement', url: 'https://www.amf-france.org' },
} satisfies Record<string, Resource>;

const identityDocument = (what: string): string[] => [
  `Si ${what} a été perdu ou volé, déclarez-en la perte ou le vol (démarches sur service-public.fr) : le document sera invalidé.`,
  'Sans perte ni vol, un numéro exposé ne suffit pas pour refaire le document ; surveillez en revanche votre courrier et vos comptes : crédit, contrat ou relance que vous n’avez pas demandés.',
  'Si un crédit ou un compte est ouvert à votre nom, portez plainte et prévenez l’organisme ; la Banque de France peut vous dire si vous êtes inscrit à un fichier d’incidents (FICP, FCC).',
  'Les démarches de titres se font sur ants.gouv.fr, adresse tapée vous-même : ne payez aucun « frais de dossier » demandé par SMS ou sur un autre site.',
];

export const fr: GuidanceContent = {
  general: {
    title: 'Ce que toute personne touchée par une fuite devrait faire',
    points: [
      'Attendez-vous à des messages frauduleux (e-mail, SMS, appel) qui s’appuient sur vos données pour paraître crédibles : un message qui connaît votre nom ou votre numéro n’est pas authentique pour autant.',
      'Ne cliquez jamais sur un lien reçu dans un message inattendu, même s’il semble venir de France Titres (ANTS), des impôts, de l’URSSAF, d’Ameli, de la CAF ou de votre banque. Tapez vous-même l’adresse officielle du site.',
      'Aucune administration ni aucune banque ne vous demande un mot de passe, un code reçu par SMS ou vos coordonnées bancaires par téléphone, SMS ou e-mail. Dans le doute, raccrochez et rappelez le numéro officiel que vous connaissez.',
      'Utilisez un mot de passe différent pour chaque compte (un gestionnaire de mots de passe aide) et activez la double authentification, d’abord sur votre messagerie : elle permet de réinitialiser tous vos autres comptes.',
      'Surveillez vos relevés bancaires et votre courrier : crédit, abonnement, colis ou relance que vous n’avez pas demandés.',
      'En cas de doute ou de fraude : l’assistance de cybermalveillance.gouv.fr ou le 17Cyber vous orientent, et vous pouvez porter plainte auprès de la police ou de la gendarmerie. Gardez les messages reçus comme preuves.',
    ],
    resources: [R.cybermalveillance, R.cyber17, R.police],
  },
  classes: {
    password: {
      short: 'Mot de passe',
      label: 'votre mot de passe',
      risk: 'Avec ce mot de passe, on peut se connecter au compte concerné et à tous ceux où vous l’avez réutilisé : les couples e-mail et mot de passe volés sont essayés automatiquement sur des milliers de sites.',
      actions: [
        'Changez ce mot de passe maintenant, ainsi que partout où vous utilisiez le même ou un mot de passe proche.',
        'Activez la double authentification (application de codes ou clé de sécurité) sur vos comptes importants, en commençant par votre messagerie.',
        'Vérifiez dans chaque compte les appareils et les sessions connectés, et déconnectez ceux que vous ne reconnaissez pas.',
        'Un gestionnaire de mots de passe vous donne un mot de passe long et unique par site sans avoir à les retenir.',
      ],
      resources: [R.cybermalveillance],
    },
    iban: {
      short: 'Coordonnées bancaires (IBAN)',
      label: 'vos coordonnées bancaires (IBAN)',
      risk: 'Un IBAN ne permet pas de retirer de l’argent, mais il permet de créer des prélèvements SEPA frauduleux et de rendre crédible un faux conseiller bancaire qui vous appelle pour vous faire « valider » une opération.',
      actions: [
        'Prévenez votre banque de la fuite et demandez-lui de surveiller votre compte.',
        'Demandez-lui de n’accepter les prélèvements que des créanciers que vous autorisez (liste blanche) ou de bloquer ceux que vous ne connaissez pas (liste noire) : elle doit vous le proposer.',
        'Surveillez vos relevés et contestez auprès de la banque tout prélèvement que vous n’avez pas autorisé : vous avez 13 mois pour le faire.',
        'Votre banque ne vous demande jamais un code reçu par SMS ni de valider une opération au téléphone : raccrochez et appelez le numéro inscrit sur votre carte.',
      ],
      resources: [R.cybermalveillance, R.cyber17],
    },
    nir: {
      short: 'Numéro de sécurité sociale (NIR)',
      label: 'votre numéro de sécurité sociale (NIR)',
      risk: 'Le numéro de sécurité sociale ne change pas de toute une vie. Seul, il ne donne accès à rien ; avec votre nom et votre date de naissance, il rend très crédibles de faux messages de l’Assurance maladie ou d’une mutuelle et peut servir à usurper votre identité.',
      actions: [
        'Méfiez-vous de tout message qui cite ce numéro pour vous faire renouveler une carte Vitale, payer des frais ou donner vos coordonnées bancaires : l’Assurance maladie ne les demande jamais par e-mail ou SMS.',
        'Consultez vos remboursements sur votre compte ameli, adresse ameli.fr tapée vous-même, et signalez à votre caisse tout soin que vous n’avez pas reçu.',
        'Si quelqu’un utilise votre identité (crédit, contrat, compte ouvert à votre nom), portez plainte auprès de la police ou de la gendarmerie et gardez le récépissé.',
      ],
      resources: [R.ameli, R.police, R.cybermalveillance, R.cnil],
    },
    idCard: {
      short: 'Numéro de carte d’identité',
      label: 'le numéro de votre carte nationale d’identité',
      risk: 'Avec les informations d’une pièce d’identité, des fraudeurs peuvent tenter d’ouvrir un compte, de souscrire un crédit ou un abonnement à votre nom, ou se faire passer pour France Titres (ex-ANTS) pour vous faire payer de faux frais.',
      actions: identityDocument('votre carte d’identité elle-même'),
      resources: [R.servicePublic, R.ants, R.police, R.banqueDeFrance],
    },
    passport: {
      short: 'Numéro de passeport',
      label: 'le numéro de votre passeport',
      risk: 'Avec les informations d’un passeport, des fraudeurs peuvent tenter d’ouvrir un compte, de louer ou d’emprunter à votre nom, ou se faire passer pour France Titres (ex-ANTS) pour vous faire payer de faux frais.',
      actions: identityDocument('votre passeport lui-même'),
      resources: [R.servicePublic, R.ants, R.police, R.banqueDeFrance],
    },
    drivingLicence: {
      short: 'Numéro de permis de conduire',
      label: 'le numéro de votre permis de conduire',
      risk: 'Le numéro de permis peut servir à usurper votre identité et à vous désigner faussement comme conducteur d’un véhicule flashé, pour vous faire perdre des points à la place d’un autre.',
      actions: [
        'Consultez votre solde de points depuis votre espace sur ants.gouv.fr, adresse tapée vous-même ; contestez tout avis de contravention pour un véhicule que vous ne conduisiez pas.',
        'Si votre permis lui-même a été perdu ou volé, déclarez-en la perte ou le vol (démarches sur service-public.fr).',
        'Si l’on vous a désigné à tort comme conducteur, ou ouvert un contrat à votre nom, portez plainte auprès de la police ou de la gendarmerie.',
      ],
      resources: [R.ants, R.servicePublic, R.police],
    },
    taxId: {
      short: 'Numéro fiscal',
      label: 'votre numéro fiscal',
      risk: 'Le numéro fiscal sert d’identifiant sur impots.gouv.fr. Avec votre nom et votre adresse, il rend crédibles de faux messages des impôts (« remboursement en attente », « amende à régler ») qui mènent à un faux site pour voler votre mot de passe ou votre carte bancaire.',
      actions: [
        'Les impôts ne vous demandent jamais vos coordonnées bancaires par e-mail ou SMS : pour tout remboursement ou paiement, tapez vous-même impots.gouv.fr.',
        'Donnez un mot de passe unique à votre espace particulier, et vérifiez-y votre adresse et les coordonnées bancaires enregistrées.',
        'Transférez les e-mails douteux à Signal Spam, puis supprimez-les.',
      ],
      resources: [R.impots, R.signalSpam, R.cybermalveillance],
    },
    health: {
      short: 'Données de santé',
      label: 'des données sur votre santé',
      risk: 'Les données de santé sont intimes et ne se changent pas. Elles peuvent servir à du chantage et à des arnaques ciblées (faux remboursement de mutuelle, faux laboratoire, faux professionnel de santé).',
      actions: [
        'Ne cédez à aucune demande d’argent ni à aucune menace de divulgation : ne payez pas, gardez les messages et portez plainte auprès de la police ou de la gendarmerie.',
        'Méfiez-vous des messages d’Ameli, d’une mutuelle ou d’un professionnel de santé qui demandent un paiement ou vos coordonnées : rappelez le numéro officiel que vous connaissez.',
        'Vous pouvez demander à l’organisme responsable de la fuite ce qu’il a exposé de vous (droit d’accès), et saisir la CNIL s’il ne répond pas.',
        'Si des informations sur vous sont publiées en ligne, signalez-les sur Pharos.',
      ],
      resources: [R.police, R.cnil, R.pharos],
    },
    phone: {
      short: 'Numéro de téléphone',
      label: 'votre numéro de téléphone',
      risk: 'Votre numéro permet de vous envoyer SMS et appels frauduleux (faux colis, faux conseiller bancaire, fausse amende). Avec votre nom et votre date de naissance, un fraudeur peut aussi tenter d’obtenir une nouvelle carte SIM à votre nom (« SIM swapping ») pour recevoir vos codes de validation.',
      actions: [
        'Ne donnez jamais un code reçu par SMS à quelqu’un qui vous appelle, quel que soit le motif : c’est ainsi que les comptes sont détournés.',
        'Si votre téléphone perd soudain tout réseau sans raison, appelez aussitôt votre opérateur depuis un autre téléphone : c’est peut-être un changement de carte SIM frauduleux.',
        'Demandez à votre opérateur comment protéger votre ligne (code secret client, vérification renforcée avant tout changement de carte SIM).',
        'Transférez les SMS frauduleux au 33700 (service gratuit des opérateurs), puis supprimez-les.',
      ],
      resources: [R.spamSms, R.cybermalveillance, R.cyber17],
    },
    dob: {
      short: 'Date de naissance',
      label: 'votre date de naissance',
      risk: 'La date de naissance sert souvent à vérifier votre identité au téléphone (opérateur, banque, administration) et elle ne change pas. Avec votre nom et votre numéro, elle aide à se faire passer pour vous, par exemple pour obtenir une nouvelle carte SIM.',
      actions: [
        'Ne la considérez plus comme un secret : quelqu’un qui la connaît n’est pas forcément légitime.',
        'Ne l’utilisez pas comme mot de passe, comme code ou comme réponse à une question de sécurité.',
        'Si votre opérateur ou votre banque vérifie votre identité avec votre seule date de naissance, demandez-lui une protection supplémentaire (code secret).',
      ],
      resources: [R.cybermalveillance],
    },
    address: {
      short: 'Adresse postale',
      label: 'votre adresse postale',
      risk: 'Votre adresse permet de vous envoyer de faux courriers (fausse amende, faux commissaire de justice, faux avis des impôts) et, avec d’autres données, de se faire passer pour vous. Publiée en ligne pour vous nuire, elle peut exposer à du harcèlement.',
      actions: [
        'Avant de payer un courrier inhabituel, contactez l’organisme par ses coordonnées officielles, pas par celles du courrier.',
        'Si vous recevez colis, factures ou relances pour des commandes que vous n’avez pas passées, prévenez le vendeur et portez plainte.',
        'Si votre adresse est publiée en ligne pour vous nuire, signalez le contenu sur Pharos et portez plainte ; en cas de menace immédiate, appelez le 17.',
      ],
      resources: [R.pharos, R.police],
    },
    email: {
      short: 'Adresse e-mail',
      label: 'votre adresse e-mail',
      risk: 'Votre adresse e-mail reçoit des messages d’hameçonnage (« phishing ») qui imitent France Titres (ANTS), les impôts, l’URSSAF, Ameli, la CAF ou votre banque, et sert d’identifiant pour tenter d’entrer dans vos comptes.',
      actions: [
        'Ne cliquez jamais sur un lien d’un e-mail inattendu : tapez vous-même l’adresse officielle du site.',
        'Protégez votre messagerie par un mot de passe unique et la double authentification : elle permet de réinitialiser tous vos autres comptes.',
        'Transférez les e-mails frauduleux à Signal Spam, puis supprimez-les.',
      ],
      resources: [R.signalSpam, R.cybermalveillance],
    },
    name: {
      short: 'Nom et prénom',
      label: 'votre nom et votre prénom',
      risk: 'Votre nom seul expose peu, mais il rend les messages frauduleux plus crédibles (« Bonjour Madame Martin ») et, avec d’autres données, il aide à usurper votre identité.',
      actions: [
        'Un message qui vous appelle par votre nom n’est pas authentique pour autant : vérifiez auprès de l’organisme, par ses coordonnées officielles.',
        'Si vous découvrez un compte ou un contrat ouvert à votre nom, prévenez l’organisme et portez plainte.',
      ],
      resources: [R.cybermalveillance],
    },
    income: {
      short: 'Niveau de revenus',
      label: 'votre niveau de revenus',
      risk: 'Connaître vos revenus permet de cibler les arnaques : faux placements pour des revenus élevés, fausses aides ou faux remboursements (CAF, impôts) pour des revenus modestes.',
      actions: [
        'Une aide ou un remboursement se vérifie sur le site officiel (caf.fr, impots.gouv.fr), adresse tapée vous-même, jamais par un lien reçu.',
        'Méfiez-vous de tout placement « garanti » à fort rendement ; avant d’investir, consultez les listes noires de l’AMF.',
      ],
      resources: [R.amf, R.cybermalveillance],
    },
    employer: {
      short: 'Employeur',
      label: 'le nom de votre employeur',
      risk: 'Savoir où vous travaillez permet des messages ciblés : faux service informatique, faux dirigeant qui demande un virement urgent (« fraude au président »), fausse fiche de paie.',
      actions: [
        'Prévenez le service informatique ou sécurité de votre employeur que vous êtes concerné par cette fuite.',
        'Vérifiez toute demande urgente de virement ou de changement de coordonnées bancaires par un autre moyen, auprès d’une personne que vous connaissez.',
      ],
      resources: [R.cybermalveillance],
    },
    siret: {
      short: 'Numéro SIREN/SIRET',
      label: 'le numéro SIREN ou SIRET de votre entreprise',
      risk: 'Le SIREN et le SIRET sont publics, mais liés à vos coordonnées ils rendent crédibles de fausses factures, de faux messages de l’URSSAF ou d’un « registre des entreprises » qui réclame des frais.',
      actions: [
        'Vos démarches d’entreprise se font sur les sites officiels (urssaf.fr, impots.gouv.fr), adresse tapée vous-même : ne payez aucune facture d’« annuaire » ou de « registre » sans vérifier.',
        'Confirmez par téléphone, au numéro que vous connaissez, toute demande de changement d’IBAN d’un fournisseur ou d’un client.',
      ],
      resources: [R.urssaf, R.cybermalveillance],
    },
    accountId: {
      short: 'Identifiant de compte',
      label: 'votre identifiant de compte chez l’organisme touché',
      risk: 'Cet identifiant seul ne permet pas de se connecter, mais un message qui le cite semble venir de l’organisme lui-même.',
      actions: [
        'Ne faites pas confiance à un message parce qu’il connaît votre identifiant : passez par le site officiel, adresse tapée vous-même.',
        'Si vous utilisiez avec cet identifiant un mot de passe que vous avez aussi ailleurs, changez-le.',
      ],
      resources: [R.cybermalveillance],
    },
    username: {
      short: 'Nom d’utilisateur',
      label: 'votre nom d’utilisateur',
      risk: 'Un nom d’utilisateur permet de retrouver vos comptes sur d’autres sites et d’y essayer des mots de passe venus d’autres fuites.',
      actions: [
        'Changez le mot de passe des comptes où vous utilisez ce nom s’il est réutilisé, et activez la double authentification.',
        'Vérifiez ce que vos profils publics laissent voir de vous.',
      ],
      resources: [R.cybermalveillance],
    },
    ip: {
      short: 'Adresse IP',
      label: 'votre adresse IP',
      risk: 'Une adresse IP indique votre fournisseur d’accès et une localisation approximative, rarement plus. Elle est parfois citée dans de faux messages de chantage (« nous avons piraté votre ordinateur ») pour faire peur.',
      actions: [
        'Ne payez jamais un message qui prétend vous avoir piraté ou filmé : c’est une arnaque courante ; signalez-le sur cybermalveillance.gouv.fr.',
        'Pour cette donnée seule, aucune autre démarche n’est nécessaire.',
      ],
      resources: [R.cybermalveillance],
    },
    gender: {
      short: 'Genre (civilité)',
      label: 'votre civilité (Madame, Monsieur)',
      risk: 'Seule, la civilité expose peu : elle sert surtout à personnaliser des messages frauduleux.',
      actions: ['Aucune démarche particulière pour cette donnée seule ; restez attentif aux messages qui s’appuient sur vos autres données exposées.'],
      resources: [],
    },
  },
};
