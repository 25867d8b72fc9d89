package portal

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Languages the portal speaks; the first is the fallback.
var Languages = []string{"en", "fr"}

// messages holds every text of the pages, by language then key; a test
// checks that both languages have the same keys.
var messages = map[string]map[string]string{
	"en": {
		"lang.name": "English", "lang.switch": "Français", "lang.other": "fr",
		"site.name": "CivicLedger transparency portal", "skip": "Skip to main content",
		"nav.label": "Main", "nav.home": "Home", "nav.verifyFile": "Verify a document", "nav.verifySeal": "Verify a QR seal",
		"nav.documents": "Documents", "nav.administrations": "Administrations", "nav.audit": "Audit",
		"footer":               "Every fact shown here comes from the shared ledger of the member administrations and can be checked independently.",
		"footer.data":          "Open data:",
		"home.title":           "Check what the administrations' shared ledger proves",
		"home.intro":           "Public administrations record certified documents on a ledger that they run together, so that no single administration controls the record. Here you can check a document or a QR seal, and read the public registers. No account, no cookie, and nothing you check leaves your device except its fingerprint.",
		"home.verifyFile":      "Drop a document to check that it was issued, and that it is still valid.",
		"home.verifySeal":      "Open the link of a QR seal with your phone's camera: the seal is checked in your browser.",
		"home.documents":       "Documents registered by each administration, with their status.",
		"home.administrations": "The administrations that run the ledger.",
		"home.audit":           "The latest blocks and transactions of the ledger.",
		"file.title":           "Verify a document", "file.intro": "Choose or drop the file you received. Your browser computes its SHA-256 fingerprint; the file itself never leaves your device.",
		"file.drop": "Drop the file here, or choose it:", "file.choose": "Document file",
		"file.hash": "SHA-256 fingerprint (64 hexadecimal characters)", "file.hashHelp": "Without JavaScript, compute it yourself (for example with sha256sum) and paste it here.",
		"file.submit": "Verify",
		"hash.title":  "Verification result", "hash.for": "Fingerprint checked:", "hash.again": "Verify another document",
		"hash.fromIndex":  "Answered from the portal's index of the ledger, as of block %d, %s.",
		"hash.fromLedger": "Answered by the ledger, asked at %s.",
		"hash.bad":        "This is not a SHA-256 fingerprint: it must be 64 hexadecimal characters.",
		"step.hash":       "Fingerprint of the document computed", "step.found": "Recorded on the ledger", "step.notFound": "No document with this fingerprint is recorded on the ledger",
		"step.issuer": "Issued by %s as %s %s", "step.block": "Registered in block %d, transaction %s",
		"step.notRevoked": "Not revoked and not replaced", "step.revoked": "Revoked on %s. Reason: %s", "step.superseded": "Replaced by document %s",
		"step.window": "Within its validity period", "step.expired": "Its validity period has ended", "step.notYetValid": "Its validity period has not started",
		"facts": "Key facts", "window": "Validity", "from": "from", "until": "until", "noEnd": "no end date",
		"status.valid": "Valid", "status.revoked": "Revoked", "status.superseded": "Replaced by a newer document",
		"status.expired": "Expired", "status.not-yet-valid": "Not yet valid", "status.unknown": "Unknown: not issued by a member administration",
		"step.ok": "passed", "step.failed": "failed",
		"seal.title": "Verify a QR seal", "seal.intro": "The seal in the link is decoded and its signature checked in your browser, against the certificates of the member administrations. Only the issuer and the document number are sent to this site, to read the document's current status.",
		"seal.steps":    "Verification steps",
		"seal.noscript": "Checking a seal needs JavaScript, because the seal is checked in your browser and never sent to this site. Without JavaScript, you can verify it with the command line tool: ledgerctl verify --link followed by the full link of the seal.",
		"docs.title":    "Register of documents", "docs.intro": "Documents registered by the member administrations. Personal data is never shown: it stays with the issuing administration.",
		"docs.filter": "Filter", "docs.issuer": "Administration", "docs.type": "Type", "docs.status": "Status", "docs.any": "Any", "docs.apply": "Apply",
		"docs.caption": "Shown: %d of %d documents", "docs.none": "No document matches.",
		"col.issuer": "Administration", "col.id": "Document", "col.type": "Type", "col.status": "Status", "col.validity": "Validity",
		"col.block": "Block", "col.tx": "Transaction", "col.time": "Time", "col.function": "Operation", "col.code": "Validation",
		"col.name": "Name", "col.msp": "Identifier", "col.kind": "Kind", "col.contact": "Contact", "col.updated": "Updated",
		"page.prev": "Previous page", "page.next": "Next page", "page.label": "Pages",
		"admins.title": "Member administrations", "admins.intro": "The administrations that run the ledger together, as each published its own profile.",
		"admins.caption": "Member administrations", "admins.none": "No profile has been published yet.",
		"audit.title": "Audit: latest transactions", "audit.intro": "The latest transactions committed on the ledger, newest first: which administration submitted what, when, and whether the peers accepted it.",
		"audit.caption": "Latest %d transactions", "audit.config": "channel configuration change",
		"audit.charts": "Activity in figures", "audit.charts.intro": "Counts and sums from the portal's index of the ledger, drawn on the server; each chart's numbers are in the table under it.",
		"audit.chart.tx": "Transactions per day and administration, last %d days (UTC)", "audit.chart.docs": "Documents per type and recorded status",
		"audit.chart.subsidies": "Subsidies approved per programme (%s)", "audit.chart.desc": "Horizontal stacked bars, one per row of the table below, one colour per column.",
		"audit.chart.empty": "No data yet: the index holds nothing to count here.", "audit.chart.orderer": "Ordering service",
		"audit.chart.day": "Day", "audit.chart.type": "Document type", "audit.chart.programme": "Programme (granting administration)", "audit.chart.total": "Total", "audit.chart.approved": "Amount approved",
		"error.title": "Something went wrong", "error.notFound": "This page does not exist.", "error.unavailable": "The ledger cannot be reached right now. Please try again in a moment.",
		"error.bad":        "The request is not valid: %s",
		"nav.convocations": "Convocations", "nav.subsidies": "Subsidies", "nav.permissions": "Permissions", "nav.consulted": "Who consulted my data",
		"home.convocations": "Each meeting of the elected bodies: how many officials were convened, on time or late, and how many acknowledged receipt.",
		"home.subsidies":    "Subsidy programmes and grants: amounts, beneficiary undertakings, who granted and who approved them, payments.",
		"home.permissions":  "Which administration may access which category of data held by another, for what purpose and on what legal basis.",
		"home.consulted":    "Enter the reference an administration gave you to see which administrations used data about you.",
		"conv.title":        "Register of convocations", "conv.intro": "Every meeting of the elected bodies of the member administrations, with the number of officials convened, on time or late under the body's legal notice rule, and how many acknowledged receipt. No official is named.",
		"conv.caption": "Meetings", "conv.body": "Body", "conv.meeting": "Meeting", "conv.startsAt": "Starts at", "conv.deadline": "Send by",
		"conv.convened": "Convened", "conv.acknowledged": "Acknowledged", "conv.onTime": "On time", "conv.late": "Late",
		"conv.clearDays": "%d clear days", "conv.daysLate": "up to %d days late", "conv.none": "No meeting is recorded.",
		"subs.title": "Register of subsidies", "subs.intro": "Subsidy programmes and the grants made under them. A grant is proposed by the granting administration and approved by another administration. Amounts are shown with their currency.",
		"subs.programmes": "Programmes", "subs.granting": "Granting administration", "subs.programme": "Programme", "subs.budget": "Budget",
		"subs.approved": "Approved (grants)", "subs.paid": "Paid", "subs.legalBasis": "Legal basis", "subs.period": "Period",
		"subs.deMinimis": "de minimis aid", "subs.grants": "Grants", "subs.grant": "Grant", "subs.beneficiary": "Beneficiary undertaking",
		"subs.amount": "Amount", "subs.purpose": "Purpose", "subs.approvedBy": "Decided by", "subs.none": "No grant is recorded.",
		"subs.aidCaption": "De minimis aid per undertaking", "subs.aidIntro": "The de minimis aid each undertaking received from every administration together over the last three years, which EU law caps at EUR 300,000.",
		"subs.aidTotal": "Received", "subs.aidGrants": "Grants", "subs.aidAdmins": "administrations: %d", "subs.aidLeft": "Left under the ceiling",
		"grant.proposed": "Proposed", "grant.approved": "Approved", "grant.rejected": "Rejected",
		"perms.title": "Register of permissions", "perms.intro": "Permissions that one administration (the holder of the data) gives another to access a category of data, for a stated purpose and legal basis, over a period. When a permission covers a single person, the register says so without naming them.",
		"perms.caption": "Permissions", "perms.owner": "Data holder", "perms.grantee": "Granted to", "perms.category": "Data category",
		"perms.oneSubject": "for one person only", "perms.none": "No permission is recorded.",
		"perm.offered": "Offered, not yet accepted", "perm.active": "Active", "perm.revoked": "Revoked",
		"consulted.title": "Who consulted my data", "consulted.intro": "Each time an administration uses data about you under a permission, it records the use on the ledger. Enter the subject reference that the administration holding your data gave you (it is printed on the documents it issues you, or given on request) to see every recorded use: which administration, when, for what purpose, under which permission, and whether that permission covered it.",
		"consulted.label": "Your subject reference (64 hexadecimal characters)", "consulted.help": "The reference is a code, not your name: it is sent to this site only to read the ledger, is not kept, and does not appear in the page's address.",
		"consulted.bad": "This is not a subject reference: it must be 64 hexadecimal characters (0-9, a-f).", "consulted.submit": "Show who consulted my data",
		"consulted.result": "Recorded uses", "consulted.caption": "%d recorded uses, oldest first", "consulted.who": "Administration",
		"consulted.permission": "Permission", "consulted.valid": "Covered by the permission", "consulted.yes": "Yes", "consulted.no": "No",
		"consulted.more": "Only the first uses are shown.", "consulted.none": "No administration has recorded a use of data with this reference.",
		"admins.membership": "Membership", "admins.left": "Left on %s", "admins.joined": "Joined on %s", "admins.founding": "Founding member",
		"admins.proposals": "Membership changes", "admins.proposalsIntro": "An administration joins or leaves when a majority of the members' administrators sign the change. Each proposal, and which administration signed it when, is kept on the ledger.",
		"admins.change": "Change", "admins.proposedBy": "Proposed by", "admins.signedBy": "Signed by",
		"admins.kind.add": "Add", "admins.kind.remove": "Remove", "admins.status.open": "Open for signatures", "admins.status.applied": "Applied",
		"admins.status.expired": "Expired", "admins.status.withdrawn": "Withdrawn", "admins.noProposals": "No membership change has been proposed.",
		"ack.title": "Acknowledge receipt of a convocation", "ack.convocation": "%s convened you to this meeting:",
		"ack.body": "Body", "ack.meeting": "Meeting", "ack.startsAt": "Starts at", "ack.place": "Place",
		"ack.explain": "By confirming, you acknowledge that you received this convocation. The date and time of your acknowledgement are recorded on the ledger, where they form, with the sending, the legal proof of the convocation.",
		"ack.confirm": "I acknowledge receipt", "ack.done": "Your acknowledgement of receipt is recorded.", "ack.already": "The receipt of this convocation was already acknowledged; there is nothing more to do.",
		"ack.at": "Acknowledged at", "ack.via": "Recorded through",
		"ack.damaged":   "This acknowledgement link is incomplete or damaged. Open the link exactly as you received it, or copy all of it into the address bar.",
		"ack.bad.owner": "The administration is missing or malformed.", "ack.bad.meeting": "The meeting is missing or malformed.",
		"ack.bad.convocation": "The convocation number is missing or malformed.", "ack.bad.token": "The secret code is missing or too long.",
		"ack.badToken": "The secret code of this link does not match the convocation. Open the link exactly as you received it; if it still fails, contact the administration that convened you.",
		"ack.unknown":  "No such convocation is recorded on the ledger. Check that you opened the whole link; if it still fails, contact the administration that convened you.",
		"ack.conflict": "The receipt of this convocation was already acknowledged; there is nothing more to do.",
	},
	"fr": {
		"lang.name": "Français", "lang.switch": "English", "lang.other": "en",
		"site.name": "Portail de transparence CivicLedger", "skip": "Aller au contenu principal",
		"nav.label": "Principal", "nav.home": "Accueil", "nav.verifyFile": "Vérifier un document", "nav.verifySeal": "Vérifier un cachet QR",
		"nav.documents": "Documents", "nav.administrations": "Administrations", "nav.audit": "Audit",
		"footer":               "Chaque fait affiché ici provient du registre partagé des administrations membres et peut être vérifié de façon indépendante.",
		"footer.data":          "Données ouvertes :",
		"home.title":           "Vérifiez ce que prouve le registre partagé des administrations",
		"home.intro":           "Des administrations publiques enregistrent des documents certifiés dans un registre qu'elles tiennent ensemble, si bien qu'aucune ne contrôle seule ce registre. Ici, vous pouvez vérifier un document ou un cachet QR et consulter les registres publics. Sans compte, sans cookie, et rien de ce que vous vérifiez ne quitte votre appareil, sauf son empreinte.",
		"home.verifyFile":      "Déposez un document pour vérifier qu'il a bien été émis et qu'il est toujours valable.",
		"home.verifySeal":      "Ouvrez le lien d'un cachet QR avec l'appareil photo de votre téléphone : le cachet est vérifié dans votre navigateur.",
		"home.documents":       "Les documents enregistrés par chaque administration, avec leur statut.",
		"home.administrations": "Les administrations qui tiennent le registre.",
		"home.audit":           "Les derniers blocs et transactions du registre.",
		"file.title":           "Vérifier un document", "file.intro": "Choisissez ou déposez le fichier reçu. Votre navigateur calcule son empreinte SHA-256 ; le fichier lui-même ne quitte jamais votre appareil.",
		"file.drop": "Déposez le fichier ici, ou choisissez-le :", "file.choose": "Fichier du document",
		"file.hash": "Empreinte SHA-256 (64 caractères hexadécimaux)", "file.hashHelp": "Sans JavaScript, calculez-la vous-même (par exemple avec sha256sum) et collez-la ici.",
		"file.submit": "Vérifier",
		"hash.title":  "Résultat de la vérification", "hash.for": "Empreinte vérifiée :", "hash.again": "Vérifier un autre document",
		"hash.fromIndex":  "Réponse de l'index du registre tenu par le portail, à jour au bloc %d, %s.",
		"hash.fromLedger": "Réponse du registre, interrogé le %s.",
		"hash.bad":        "Ce n'est pas une empreinte SHA-256 : elle doit compter 64 caractères hexadécimaux.",
		"step.hash":       "Empreinte du document calculée", "step.found": "Enregistré dans le registre", "step.notFound": "Aucun document de cette empreinte n'est enregistré dans le registre",
		"step.issuer": "Émis par %s comme %s %s", "step.block": "Enregistré dans le bloc %d, transaction %s",
		"step.notRevoked": "Ni révoqué ni remplacé", "step.revoked": "Révoqué le %s. Motif : %s", "step.superseded": "Remplacé par le document %s",
		"step.window": "Dans sa période de validité", "step.expired": "Sa période de validité est terminée", "step.notYetValid": "Sa période de validité n'a pas commencé",
		"facts": "Faits clés", "window": "Validité", "from": "du", "until": "au", "noEnd": "sans date de fin",
		"status.valid": "Valable", "status.revoked": "Révoqué", "status.superseded": "Remplacé par un document plus récent",
		"status.expired": "Expiré", "status.not-yet-valid": "Pas encore valable", "status.unknown": "Inconnu : non émis par une administration membre",
		"step.ok": "réussi", "step.failed": "échoué",
		"seal.title": "Vérifier un cachet QR", "seal.intro": "Le cachet contenu dans le lien est décodé et sa signature vérifiée dans votre navigateur, avec les certificats des administrations membres. Seuls l'émetteur et le numéro du document sont envoyés à ce site, pour lire le statut actuel du document.",
		"seal.steps":    "Étapes de la vérification",
		"seal.noscript": "La vérification d'un cachet nécessite JavaScript, car le cachet est vérifié dans votre navigateur et n'est jamais envoyé à ce site. Sans JavaScript, vous pouvez le vérifier avec l'outil en ligne de commande : ledgerctl verify --link suivi du lien complet du cachet.",
		"docs.title":    "Registre des documents", "docs.intro": "Les documents enregistrés par les administrations membres. Aucune donnée personnelle n'est affichée : elle reste chez l'administration émettrice.",
		"docs.filter": "Filtrer", "docs.issuer": "Administration", "docs.type": "Type", "docs.status": "Statut", "docs.any": "Tous", "docs.apply": "Appliquer",
		"docs.caption": "Affichés : %d sur %d documents", "docs.none": "Aucun document ne correspond.",
		"col.issuer": "Administration", "col.id": "Document", "col.type": "Type", "col.status": "Statut", "col.validity": "Validité",
		"col.block": "Bloc", "col.tx": "Transaction", "col.time": "Heure", "col.function": "Opération", "col.code": "Validation",
		"col.name": "Nom", "col.msp": "Identifiant", "col.kind": "Nature", "col.contact": "Contact", "col.updated": "Mis à jour",
		"page.prev": "Page précédente", "page.next": "Page suivante", "page.label": "Pages",
		"admins.title": "Administrations membres", "admins.intro": "Les administrations qui tiennent le registre ensemble, telles que chacune a publié son profil.",
		"admins.caption": "Administrations membres", "admins.none": "Aucun profil n'a encore été publié.",
		"audit.title": "Audit : dernières transactions", "audit.intro": "Les dernières transactions inscrites au registre, les plus récentes d'abord : quelle administration a soumis quoi, quand, et si les pairs l'ont acceptée.",
		"audit.caption": "%d dernières transactions", "audit.config": "modification de la configuration du canal",
		"audit.charts": "L'activité en chiffres", "audit.charts.intro": "Décomptes et sommes tirés de l'index du registre tenu par le portail, dessinés par le serveur ; les nombres de chaque graphique sont dans le tableau qui le suit.",
		"audit.chart.tx": "Transactions par jour et par administration, %d derniers jours (UTC)", "audit.chart.docs": "Documents par type et statut enregistré",
		"audit.chart.subsidies": "Subventions accordées par programme (%s)", "audit.chart.desc": "Barres horizontales empilées, une par ligne du tableau qui suit, une couleur par colonne.",
		"audit.chart.empty": "Pas encore de données : l'index ne contient rien à compter ici.", "audit.chart.orderer": "Service d'ordonnancement",
		"audit.chart.day": "Jour", "audit.chart.type": "Type de document", "audit.chart.programme": "Programme (administration qui l'accorde)", "audit.chart.total": "Total", "audit.chart.approved": "Montant accordé",
		"error.title": "Une erreur est survenue", "error.notFound": "Cette page n'existe pas.", "error.unavailable": "Le registre est injoignable pour le moment. Veuillez réessayer dans un instant.",
		"error.bad":        "La requête n'est pas valable : %s",
		"nav.convocations": "Convocations", "nav.subsidies": "Subventions", "nav.permissions": "Autorisations", "nav.consulted": "Qui a consulté mes données",
		"home.convocations": "Chaque séance des assemblées élues : combien d'élus ont été convoqués, dans les délais ou en retard, et combien ont accusé réception.",
		"home.subsidies":    "Programmes de subventions et aides accordées : montants, entreprises bénéficiaires, qui les a accordées et approuvées, versements.",
		"home.permissions":  "Quelle administration peut accéder à quelle catégorie de données détenues par une autre, dans quel but et sur quelle base légale.",
		"home.consulted":    "Saisissez la référence qu'une administration vous a remise pour voir quelles administrations ont utilisé des données vous concernant.",
		"conv.title":        "Registre des convocations", "conv.intro": "Chaque séance des assemblées élues des administrations membres, avec le nombre d'élus convoqués, dans les délais ou en retard selon la règle de l'assemblée, et le nombre d'accusés de réception. Aucun élu n'est nommé.",
		"conv.caption": "Séances", "conv.body": "Assemblée", "conv.meeting": "Séance", "conv.startsAt": "Début", "conv.deadline": "Envoi au plus tard",
		"conv.convened": "Convoqués", "conv.acknowledged": "Réceptions accusées", "conv.onTime": "Dans les délais", "conv.late": "En retard",
		"conv.clearDays": "%d jours francs", "conv.daysLate": "jusqu'à %d jours de retard", "conv.none": "Aucune séance n'est enregistrée.",
		"subs.title": "Registre des subventions", "subs.intro": "Les programmes de subventions et les aides accordées. Une aide est proposée par l'administration qui l'accorde et approuvée par une autre administration. Les montants sont indiqués avec leur devise.",
		"subs.programmes": "Programmes", "subs.granting": "Administration qui accorde", "subs.programme": "Programme", "subs.budget": "Budget",
		"subs.approved": "Approuvé (aides)", "subs.paid": "Versé", "subs.legalBasis": "Base légale", "subs.period": "Période",
		"subs.deMinimis": "aide de minimis", "subs.grants": "Aides", "subs.grant": "Aide", "subs.beneficiary": "Entreprise bénéficiaire",
		"subs.amount": "Montant", "subs.purpose": "Objet", "subs.approvedBy": "Décidée par", "subs.none": "Aucune aide n'est enregistrée.",
		"subs.aidCaption": "Aides de minimis par entreprise", "subs.aidIntro": "Les aides de minimis que chaque entreprise a reçues de toutes les administrations ensemble sur les trois dernières années, que le droit de l'UE plafonne à 300 000 EUR.",
		"subs.aidTotal": "Reçu", "subs.aidGrants": "Aides", "subs.aidAdmins": "administrations : %d", "subs.aidLeft": "Reste sous le plafond",
		"grant.proposed": "Proposée", "grant.approved": "Approuvée", "grant.rejected": "Refusée",
		"perms.title": "Registre des autorisations", "perms.intro": "Les autorisations qu'une administration (qui détient les données) donne à une autre d'accéder à une catégorie de données, dans un but et sur une base légale déclarés, pour une période. Quand une autorisation porte sur une seule personne, le registre l'indique sans la nommer.",
		"perms.caption": "Autorisations", "perms.owner": "Détenteur des données", "perms.grantee": "Accordée à", "perms.category": "Catégorie de données",
		"perms.oneSubject": "pour une seule personne", "perms.none": "Aucune autorisation n'est enregistrée.",
		"perm.offered": "Proposée, pas encore acceptée", "perm.active": "Active", "perm.revoked": "Révoquée",
		"consulted.title": "Qui a consulté mes données", "consulted.intro": "Chaque fois qu'une administration utilise des données vous concernant en vertu d'une autorisation, elle inscrit cette utilisation au registre. Saisissez la référence personnelle que vous a remise l'administration qui détient vos données (elle figure sur les documents qu'elle vous délivre, ou vous est communiquée sur demande) pour voir chaque utilisation : quelle administration, quand, dans quel but, en vertu de quelle autorisation, et si cette autorisation la couvrait.",
		"consulted.label": "Votre référence personnelle (64 caractères hexadécimaux)", "consulted.help": "La référence est un code, pas votre nom : elle n'est envoyée à ce site que pour lire le registre, n'est pas conservée et n'apparaît pas dans l'adresse de la page.",
		"consulted.bad": "Ce n'est pas une référence personnelle : elle doit compter 64 caractères hexadécimaux (0-9, a-f).", "consulted.submit": "Voir qui a consulté mes données",
		"consulted.result": "Utilisations enregistrées", "consulted.caption": "%d utilisations enregistrées, les plus anciennes d'abord", "consulted.who": "Administration",
		"consulted.permission": "Autorisation", "consulted.valid": "Couverte par l'autorisation", "consulted.yes": "Oui", "consulted.no": "Non",
		"consulted.more": "Seules les premières utilisations sont affichées.", "consulted.none": "Aucune administration n'a enregistré d'utilisation de données avec cette référence.",
		"admins.membership": "Adhésion", "admins.left": "Partie le %s", "admins.joined": "Entrée le %s", "admins.founding": "Membre fondateur",
		"admins.proposals": "Changements de membres", "admins.proposalsIntro": "Une administration entre ou sort quand une majorité des administrateurs des membres signe le changement. Chaque proposition, et quelle administration l'a signée et quand, est conservée dans le registre.",
		"admins.change": "Changement", "admins.proposedBy": "Proposé par", "admins.signedBy": "Signé par",
		"admins.kind.add": "Ajouter", "admins.kind.remove": "Retirer", "admins.status.open": "Ouvert aux signatures", "admins.status.applied": "Appliqué",
		"admins.status.expired": "Expiré", "admins.status.withdrawn": "Retiré", "admins.noProposals": "Aucun changement de membres n'a été proposé.",
		"ack.title": "Accuser réception d'une convocation", "ack.convocation": "%s vous a convoqué à cette séance :",
		"ack.body": "Assemblée", "ack.meeting": "Séance", "ack.startsAt": "Début", "ack.place": "Lieu",
		"ack.explain": "En confirmant, vous accusez réception de cette convocation. La date et l'heure de votre accusé de réception sont inscrites au registre, où elles forment, avec l'envoi, la preuve légale de la convocation.",
		"ack.confirm": "J'accuse réception", "ack.done": "Votre accusé de réception est enregistré.", "ack.already": "La réception de cette convocation a déjà été accusée ; il n'y a plus rien à faire.",
		"ack.at": "Réception accusée le", "ack.via": "Enregistré par",
		"ack.damaged":   "Ce lien d'accusé de réception est incomplet ou abîmé. Ouvrez le lien exactement tel que vous l'avez reçu, ou copiez-le en entier dans la barre d'adresse.",
		"ack.bad.owner": "L'administration manque ou est mal formée.", "ack.bad.meeting": "La séance manque ou est mal formée.",
		"ack.bad.convocation": "Le numéro de convocation manque ou est mal formé.", "ack.bad.token": "Le code secret manque ou est trop long.",
		"ack.badToken": "Le code secret de ce lien ne correspond pas à la convocation. Ouvrez le lien exactement tel que vous l'avez reçu ; en cas de nouvel échec, contactez l'administration qui vous a convoqué.",
		"ack.unknown":  "Aucune convocation de ce numéro n'est inscrite au registre. Vérifiez que vous avez ouvert le lien en entier ; en cas de nouvel échec, contactez l'administration qui vous a convoqué.",
		"ack.conflict": "La réception de cette convocation a déjà été accusée ; il n'y a plus rien à faire.",
	},
}

// language picks the page language: ?lang= when it names a language the
// portal speaks (explicit, and carried by every link of the page), else the
// best match of Accept-Language, else def.
func language(r *http.Request, def string) (lang string, explicit bool) {
	if l := r.URL.Query().Get("lang"); messages[l] != nil {
		return l, true
	}
	type choice struct {
		lang string
		q    float64
	}
	var choices []choice
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if messages[base] != nil && q > 0 {
			choices = append(choices, choice{base, q})
		}
	}
	sort.SliceStable(choices, func(i, j int) bool { return choices[i].q > choices[j].q })
	if len(choices) > 0 {
		return choices[0].lang, false
	}
	return def, false
}

// Messages returns the texts of lang (for tests and tools).
func Messages(lang string) map[string]string { return messages[lang] }
