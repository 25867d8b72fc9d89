/**
 * @file The seal and file pages' messages in English and French, chosen by
 * the page's `<html lang>`. Parameters are written {name}; values are
 * inserted as text by the caller, never as HTML.
 */

const MESSAGES = {
  en: {
    'step.format.ok': 'The seal text decodes (Base45, zlib).',
    'step.format.fail': 'The seal text cannot be decoded.',
    'step.structure.ok': 'The seal is a signed COSE message.',
    'step.structure.fail': 'The seal is not a well-formed signed message.',
    'step.header.ok': "The signature header names ES256 and the signer's key.",
    'step.header.fail': 'The signature header is not the one a seal uses.',
    'step.certificate.ok': "The signer's certificate is readable ({detail}).",
    'step.certificate.fail': "The signer's certificate is missing or unreadable.",
    'step.signature.ok': "The signature matches the signer's certificate.",
    'step.signature.fail': "The signature does not match: the seal was changed after signing.",
    'step.claims.ok': 'The signed content is a version 1 seal.',
    'step.claims.fail': 'The signed content is not a valid seal.',
    'step.signer.ok': "The signer's certificate was valid when the seal was issued.",
    'step.signer.fail': "The signer's certificate was not valid for signing when the seal was issued.",
    'step.issuer.ok': 'The signer is an official of {name} ({msp}).',
    'step.issuer.fail': 'The signer is not an official of the administration the seal names.',
    'step.window.ok': 'The seal is within its validity period.',
    'step.window.fail': 'The seal is outside its validity period.',
    'step.ledger.ok': 'The ledger records this document as valid.',
    'step.ledger.fail': 'The ledger does not record this document as valid ({status}).',
    'step.trust.fail': 'The list of member administrations could not be loaded.',
    'verdict.valid': 'Valid: this seal was issued by {name} and the ledger records the document as valid.',
    'verdict.revoked': 'Revoked: {name} revoked this document on {date}. Reason: {reason}.',
    'verdict.superseded': 'Superseded: {name} replaced this document by document {by}.',
    'verdict.expired': 'Expired: this seal was valid until {date}.',
    'verdict.not-yet-valid': 'Not yet valid: this seal is valid from {date}.',
    'verdict.unknown': 'Not valid: the ledger has no record of this document with this content.',
    'verdict.tampered': 'Refused: this seal was altered or its signature is not genuine.',
    'verdict.unknown-issuer': 'Refused: this seal was not signed by a member administration.',
    'verdict.issuer-mismatch': 'Refused: this seal claims to come from {msp} but was signed by another administration ({others}).',
    'verdict.malformed': 'Refused: this is not a readable CivicLedger seal.',
    'verdict.unavailable': 'Cannot tell: the ledger could not be reached. Please try again later.',
    'fact.issuer': 'Issuer',
    'fact.id': 'Document',
    'fact.type': 'Type',
    'fact.sha256': 'Document SHA-256',
    'fact.validFrom': 'Valid from',
    'fact.validUntil': 'Valid until',
    'fact.issuedAt': 'Sealed on',
    'fact.block': 'Block',
    'fact.txId': 'Transaction',
    'facts.caption': 'What the seal says (shown here only, never sent):',
    'file.hashing': 'Computing the fingerprint of {name} on this device…',
    'file.failed': 'The file could not be read.',
    'unknown.reason': 'not given',
  },
  fr: {
    'step.format.ok': 'Le texte du sceau se décode (Base45, zlib).',
    'step.format.fail': 'Le texte du sceau ne peut pas être décodé.',
    'step.structure.ok': 'Le sceau est un message COSE signé.',
    'step.structure.fail': "Le sceau n'est pas un message signé bien formé.",
    'step.header.ok': "L'en-tête de signature indique ES256 et la clé du signataire.",
    'step.header.fail': "L'en-tête de signature n'est pas celui d'un sceau.",
    'step.certificate.ok': 'Le certificat du signataire est lisible ({detail}).',
    'step.certificate.fail': 'Le certificat du signataire est absent ou illisible.',
    'step.signature.ok': 'La signature correspond au certificat du signataire.',
    'step.signature.fail': 'La signature ne correspond pas : le sceau a été modifié après sa signature.',
    'step.claims.ok': 'Le contenu signé est un sceau de version 1.',
    'step.claims.fail': "Le contenu signé n'est pas un sceau valable.",
    'step.signer.ok': "Le certificat du signataire était valable lors de l'émission du sceau.",
    'step.signer.fail': "Le certificat du signataire ne permettait pas de signer lors de l'émission du sceau.",
    'step.issuer.ok': 'Le signataire est un agent de {name} ({msp}).',
    'step.issuer.fail': "Le signataire n'est pas un agent de l'administration nommée par le sceau.",
    'step.window.ok': 'Le sceau est dans sa période de validité.',
    'step.window.fail': 'Le sceau est hors de sa période de validité.',
    'step.ledger.ok': 'Le registre enregistre ce document comme valide.',
    'step.ledger.fail': "Le registre n'enregistre pas ce document comme valide ({status}).",
    'step.trust.fail': "La liste des administrations membres n'a pas pu être chargée.",
    'verdict.valid': 'Valide : ce sceau a été émis par {name} et le registre enregistre le document comme valide.',
    'verdict.revoked': 'Révoqué : {name} a révoqué ce document le {date}. Motif : {reason}.',
    'verdict.superseded': 'Remplacé : {name} a remplacé ce document par le document {by}.',
    'verdict.expired': "Expiré : ce sceau était valable jusqu'au {date}.",
    'verdict.not-yet-valid': 'Pas encore valable : ce sceau est valable à partir du {date}.',
    'verdict.unknown': "Non valable : le registre ne connaît pas ce document avec ce contenu.",
    'verdict.tampered': "Refusé : ce sceau a été modifié ou sa signature n'est pas authentique.",
    'verdict.unknown-issuer': "Refusé : ce sceau n'a pas été signé par une administration membre.",
    'verdict.issuer-mismatch': 'Refusé : ce sceau dit venir de {msp} mais a été signé par une autre administration ({others}).',
    'verdict.malformed': "Refusé : ce n'est pas un sceau CivicLedger lisible.",
    'verdict.unavailable': "Impossible de conclure : le registre n'a pas pu être joint. Veuillez réessayer plus tard.",
    'fact.issuer': 'Émetteur',
    'fact.id': 'Document',
    'fact.type': 'Type',
    'fact.sha256': 'SHA-256 du document',
    'fact.validFrom': 'Valable à partir du',
    'fact.validUntil': "Valable jusqu'au",
    'fact.issuedAt': 'Scellé le',
    'fact.block': 'Bloc',
    'fact.txId': 'Transaction',
    'facts.caption': "Ce que dit le sceau (affiché ici seulement, jamais envoyé) :",
    'file.hashing': "Calcul de l'empreinte de {name} sur cet appareil…",
    'file.failed': "Le fichier n'a pas pu être lu.",
    'unknown.reason': 'non indiqué',
  },
};

/** The page's language: "fr" for any French variant, else "en". */
export function pageLang() {
  return (document.documentElement.lang || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/**
 * Returns the message for key in the page's language, with params filled in.
 * @param {string} key a message key.
 * @param {Object<string, *>} [params] values for {name} placeholders.
 * @returns {string} the text.
 */
export function t(key, params = {}) {
  const text = MESSAGES[pageLang()][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/**
 * Formats epoch seconds as a date and time in the page's language.
 * @param {number} seconds epoch seconds.
 * @returns {string} e.g. "1 March 2026 at 10:00 UTC".
 */
export function formatTime(seconds) {
  const format = new Intl.DateTimeFormat(pageLang(), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return `${format.format(new Date(seconds * 1000))} UTC`;
}
