/** The words of the alert pages (subscribe, confirm, unsubscribe, the verified view), French first. */
import type { Lang } from '../../guidance/index.js';

interface AlertTexts {
  formTitle: string;
  formIntro: string;
  fieldLabel: string;
  fieldHint: string;
  submit: string;
  badEmail: string;
  requestedTitle: string;
  requested(hours: number): string[];
  confirmTitle: string;
  confirmIntro: string;
  confirmButton: string;
  confirmedTitle: string;
  confirmed: string;
  unsubscribeTitle: string;
  unsubscribeIntro: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribed: string;
  badLinkTitle: string;
  badLink: string;
  verified: string;
  sensitiveTag: string;
  offTitle: string;
  off: string;
}

const fr: AlertTexts = {
  formTitle: 'Être alerté d’une nouvelle fuite',
  formIntro: 'Vigie vous écrit si votre adresse apparaît dans une fuite chargée après aujourd’hui. Un lien de confirmation vous est d’abord envoyé.',
  fieldLabel: 'Votre adresse e-mail',
  fieldHint: 'Seule l’adresse elle-même recevra des messages, et seulement après confirmation. Vous pourrez vous désabonner en un clic.',
  submit: 'Recevoir les alertes',
  badEmail: 'Ce qui a été saisi n’est pas une adresse e-mail valide. Saisissez par exemple nom@exemple.fr.',
  requestedTitle: 'Vérifiez votre messagerie',
  requested: (hours) => [
    `Si cette adresse peut recevoir des messages, un lien de confirmation vient de lui être envoyé. Il est valable ${hours}\u00a0heures.`,
    'Rien d’autre ne lui sera envoyé tant que le lien n’aura pas été suivi.',
    'Rien reçu d’ici quelques minutes\u202f? Regardez dans les courriers indésirables, puis refaites la demande au besoin.',
  ],
  confirmTitle: 'Confirmer l’alerte',
  confirmIntro: 'Appuyez sur le bouton pour confirmer que vous voulez être alerté si cette adresse apparaît dans une nouvelle fuite.',
  confirmButton: 'Confirmer',
  confirmedTitle: 'Alerte confirmée',
  confirmed:
    'Vous serez alerté si cette adresse apparaît dans une nouvelle fuite. Sur cet appareil, vous êtes désormais reconnu comme titulaire de l’adresse\u00a0: en la vérifiant ci-dessous, vous verrez aussi les fuites sensibles.',
  unsubscribeTitle: 'Se désabonner',
  unsubscribeIntro: 'Appuyez sur le bouton pour ne plus recevoir d’alerte. L’adresse sera effacée de Vigie.',
  unsubscribeButton: 'Me désabonner',
  unsubscribedTitle: 'Désabonnement effectué',
  unsubscribed: 'Vous ne recevrez plus d’alerte, et l’adresse a été effacée de Vigie. Vous pourrez vous réabonner à tout moment depuis la page d’accueil.',
  badLinkTitle: 'Lien non valable',
  badLink: 'Ce lien n’est pas valable, a expiré ou a déjà servi à un désabonnement. Vous pouvez refaire une demande d’alerte.',
  verified: 'Vous êtes le titulaire vérifié de cette adresse\u00a0: les fuites sensibles sont incluses.',
  sensitiveTag: 'Fuite sensible (visible de vous seul)',
  offTitle: 'Alertes indisponibles',
  off: 'Les alertes ne sont pas activées sur ce service.',
};

const en: AlertTexts = {
  formTitle: 'Get alerted of a new leak',
  formIntro: 'Vigie writes to you if your address appears in a leak loaded after today. A confirmation link is sent to you first.',
  fieldLabel: 'Your email address',
  fieldHint: 'Only the address itself will receive messages, and only once confirmed. You can unsubscribe in one click.',
  submit: 'Get alerts',
  badEmail: 'What you entered is not a valid email address. Enter for instance name@example.fr.',
  requestedTitle: 'Check your mailbox',
  requested: (hours) => [
    `If this address can receive mail, a confirmation link has just been sent to it. It is valid for ${hours} hours.`,
    'Nothing else will be sent to it until the link is followed.',
    'Nothing after a few minutes? Look in the spam folder, then ask again if need be.',
  ],
  confirmTitle: 'Confirm the alert',
  confirmIntro: 'Press the button to confirm that you want to be alerted if this address appears in a new leak.',
  confirmButton: 'Confirm',
  confirmedTitle: 'Alert confirmed',
  confirmed:
    'You will be alerted if this address appears in a new leak. On this device you are now known as the owner of the address: check it below to see sensitive leaks too.',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeIntro: 'Press the button to receive no more alerts. The address will be erased from Vigie.',
  unsubscribeButton: 'Unsubscribe me',
  unsubscribedTitle: 'Unsubscribed',
  unsubscribed: 'You will receive no more alerts, and the address has been erased from Vigie. You can subscribe again at any time from the home page.',
  badLinkTitle: 'Link not valid',
  badLink: 'This link is not valid, has expired or was already used to unsubscribe. You can ask for alerts again.',
  verified: 'You are the verified owner of this address: sensitive leaks are included.',
  sensitiveTag: 'Sensitive leak (shown to you only)',
  offTitle: 'Alerts unavailable',
  off: 'Alerts are not enabled on this service.',
};

export const ALERT_TEXTS: Record<Lang, AlertTexts> = { fr, en };
