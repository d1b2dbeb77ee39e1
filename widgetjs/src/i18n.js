// The widget's words, by language. A locale attribute picks one ("fr",
// "fr-CA"); otherwise the browser's language; otherwise English.
const messages = {
  en: {
    title: "Invite your friends",
    yourLink: "Your invite link",
    yourCode: "Your code",
    copyLink: "Copy link",
    copyCode: "Copy code",
    copied: "Copied to the clipboard",
    share: "Share",
    shareText: "Join me on {campaign}",
    qr: "QR code of your invite link",
    inviteLabel: "Your friend's name or e-mail address (only you see it)",
    invite: "Create invite link",
    invited: "Invitation created: share this link with your friend",
    friends: "Your friends",
    noFriends: "No friends yet. Share your link to get started.",
    noFriendsInvite: "No friends yet. Create an invite link for one above.",
    noFriendsClosed: "No friends joined this campaign.",
    step: "Step {done} of {total}",
    next: "Next: {step}",
    completed: "Completed",
    pending: "Invited",
    claimed: "Joined",
    expired: "Invitation expired",
    rewards: "Your rewards",
    noRewards: "No rewards yet: they appear here when a friend completes every step.",
    held: "Under review",
    heldNote: "It can be used once it has been checked.",
    issued: "Ready to use",
    redeemed: "Used",
    voided: "Cancelled",
    rewardExpired: "Expired",
    promotionCode: "Your promotion code:",
    codePending: "Your promotion code is being prepared: it appears here in a moment.",
    more: "Show more",
    loading: "Loading…",
    ended: "This campaign has ended. Your rewards stay below.",
    paused: "This campaign is paused for now.",
    tokenExpired: "Your session has expired. Refresh the page to continue.",
    tokenInvalid: "This widget could not sign you in.",
    network: "We could not reach the server.",
    error: "Something went wrong.",
    retrying: "Retrying automatically…",
    tryAgain: "Try again",
    offer: "You were invited! {reward}",
    friendN: "Friend {n}",
    earnTitle: "What you earn",
    earnRow: "Referral {count}: {reward}",
    earnRowRepeat: "Referral {count} and each one after: {reward}",
    earnNext: "Your next completed referral earns: {reward}",
    earnDone: "You have earned every reward of this campaign.",
    earnCompleted: "Completed referrals: {n}",
    originRefused: "This site ({origin}) may not show the referral widget. Add it in {setting}.",
    offerFrom: "{host} invited you! {reward}",
    aFriend: "a friend",
  },
  fr: {
    title: "Invitez vos amis",
    yourLink: "Votre lien d’invitation",
    yourCode: "Votre code",
    copyLink: "Copier le lien",
    copyCode: "Copier le code",
    copied: "Copié dans le presse-papiers",
    share: "Partager",
    shareText: "Rejoignez-moi sur {campaign}",
    qr: "QR code de votre lien d’invitation",
    inviteLabel: "Le nom ou l’adresse e-mail de votre ami (vous seul le voyez)",
    invite: "Créer le lien d’invitation",
    invited: "Invitation créée : partagez ce lien avec votre ami",
    friends: "Vos amis",
    noFriends: "Aucun ami pour l’instant. Partagez votre lien pour commencer.",
    noFriendsInvite: "Aucun ami pour l’instant. Créez un lien d’invitation ci-dessus.",
    noFriendsClosed: "Aucun ami n’a rejoint cette campagne.",
    step: "Étape {done} sur {total}",
    next: "Ensuite : {step}",
    completed: "Terminé",
    pending: "Invité",
    claimed: "Inscrit",
    expired: "Invitation expirée",
    rewards: "Vos récompenses",
    noRewards: "Pas encore de récompense : elles apparaissent ici quand un ami termine toutes les étapes.",
    held: "En cours de vérification",
    heldNote: "Elle sera utilisable une fois vérifiée.",
    issued: "Disponible",
    redeemed: "Utilisée",
    voided: "Annulée",
    rewardExpired: "Expirée",
    promotionCode: "Votre code promo :",
    codePending: "Votre code promo est en préparation : il apparaît ici dans un instant.",
    more: "Voir plus",
    loading: "Chargement…",
    ended: "Cette campagne est terminée. Vos récompenses restent ci-dessous.",
    paused: "Cette campagne est en pause pour le moment.",
    tokenExpired: "Votre session a expiré. Actualisez la page pour continuer.",
    tokenInvalid: "Ce widget n’a pas pu vous identifier.",
    network: "Impossible de joindre le serveur.",
    error: "Une erreur s’est produite.",
    retrying: "Nouvel essai automatique…",
    tryAgain: "Réessayer",
    offer: "Vous avez été invité ! {reward}",
    friendN: "Ami {n}",
    earnTitle: "Ce que vous gagnez",
    earnRow: "Parrainage {count} : {reward}",
    earnRowRepeat: "Parrainage {count} et chacun des suivants : {reward}",
    earnNext: "Votre prochain parrainage terminé rapporte : {reward}",
    earnDone: "Vous avez gagné toutes les récompenses de cette campagne.",
    earnCompleted: "Parrainages terminés : {n}",
    originRefused: "Ce site ({origin}) n’est pas autorisé à afficher le widget de parrainage. Ajoutez-le dans {setting}.",
    offerFrom: "{host} vous a invité ! {reward}",
    aFriend: "un ami",
  },
};

// translator returns t(key, vars) for the locale (a BCP 47 tag), and the
// language it chose.
export function translator(locale) {
  const tags = [locale, ...(navigator.languages || [navigator.language])].filter(Boolean);
  let lang = "en";
  for (const tag of tags) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (messages[base]) {
      lang = base;
      break;
    }
  }
  const dict = messages[lang];
  const t = (key, vars) =>
    (dict[key] || messages.en[key] || key).replace(/\{(\w+)\}/g, (_, name) => (vars && name in vars ? String(vars[name]) : ""));
  return { t, lang };
}

// tenantText is the tenant's own text name (texts as the widget's API
// sends them) for a widget in lang, else in the tenant's default locale
// (models.GuestTexts.Text), with {reward} and {host} filled in: the host's
// name, or "a friend" in the text's language. null when the tenant wrote
// none: the widget's own words then.
export function tenantText(texts, lang, name, vars) {
  const locales = (texts && texts.locales) || {};
  for (const l of [lang, texts && texts.default_locale]) {
    const text = l && locales[l] && locales[l][name];
    if (!text) continue;
    const friend = (messages[l] || messages.en).aFriend;
    const filled = text.replace(/\{(host|reward)\}/g, (_, key, at) => {
      if (key === "reward") return (vars && vars.reward) || "";
      if (vars && vars.host) return vars.host;
      return at === 0 ? friend.charAt(0).toUpperCase() + friend.slice(1) : friend;
    });
    return { text: filled, lang: l };
  }
  return null;
}

// translated is the tenant's translation of source, a text of this kind
// as it wrote it (translations as the widget's API sends them), for a
// widget in lang, else in the tenant's default locale, else source itself
// (models.Translations.Translate).
export function translated(translations, lang, kind, source) {
  const items = (translations && translations.items) || [];
  for (const l of [lang, translations && translations.default_locale]) {
    const hit = items.find((i) => i.locale === l && i.kind === kind && i.source === source);
    if (hit) return hit.translation;
  }
  return source;
}

// stepName turns an event name into words: first_order → First order.
export function stepName(name) {
  const words = String(name).replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
