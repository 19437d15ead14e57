# Passerelle — the interface in French, the source language.
# Every other catalogue has exactly these keys (checked by the tests).
# Before ":", "?", "»" and after "«": a no-break space (U+00A0).

## The frame of every page

skip = Aller au contenu
nav-label = Menu principal
nav-home = Accueil
nav-actions = Actions
nav-orient = Orienter une famille
nav-directory = Annuaire
nav-seminar = Séminaire
nav-review = Bilan
nav-quality = Qualité des données
nav-all-cites = Toutes les cités
nav-national-search = Chercher une action
nav-national-orient = Orienter une famille qui déménage
nav-national-review = Bilan de toutes les cités
footer-accessibility = Accessibilité : partiellement conforme
footer-accessibility-link = déclaration d'accessibilité
footer-open-data = Données ouvertes :
footer-api = API JSON (OpenAPI)
footer-signin = Espace des professionnels : se connecter
crumbs = Fil d'Ariane
home-family-offer = Pour les familles : les actions expliquées simplement
languages = Langues
translation-draft = Cette traduction a été rédigée par l'équipe de Passerelle. Elle attend la relecture d'une personne dont c'est la langue.
translation-reviewed = Cette traduction a été rédigée par l'équipe de Passerelle et relue par { $name }.
translation-unreviewed = Cette traduction n'a pas encore été relue par une personne dont c'est la langue.
content-in-french = Les noms et les textes de la fiche sont écrits en français.

## An action told to families

family-title = { $title } : pour les familles
fiche-number = Fiche n°{ $n }
family-crumb = Pour les familles
family-lead = Cette action expliquée aux familles, avec ce que dit sa fiche.
family-for-whom = Pour qui ?
family-unknown-whom = La fiche ne le dit pas.
family-where = Où ?
family-unknown-where = La fiche ne dit pas où. Demandez-le à la personne à appeler.
family-places-named = Les lieux nommés dans la fiche :
family-run-by = Qui s'en occupe ?
family-when = Quand ? Combien ça coûte ?
family-unknown-when = La fiche ne dit pas les jours, les horaires, le prix ni comment y aller. Demandez-les à la personne à appeler.
family-call = Qui appeler ?
family-no-contact = La fiche ne donne personne à appeler. Parlez-en avec la personne qui vous reçoit.
family-phone = téléphone
family-email = courriel
family-more = Plus de détails : la fiche complète, écrite pour les professionnels
family-steering = pilotage de la Cité éducative
family-link = Pour les familles : cette action expliquée simplement
ages-range = de { $min } à { $max } ans
ages-one = { $age ->
    [one] de { $age } an
   *[other] de { $age } ans
}
ages-baby = de moins d'un an
ages-of-children = pour des enfants { $ages }
place-quartier = Quartiers
place-centre-social = Centres sociaux
place-ecole = Écoles
place-college = Collèges
place-reseau = Réseaux d'éducation prioritaire
place-secteur = Secteurs de la ville
place-cite = Toute la ville

## The sheet handed to a family

sheet-title = Des actions près de chez vous
sheet-back = Revenir à la recherche
sheet-print = Utilisez la fonction « Imprimer » de votre navigateur pour imprimer cette fiche.
sheet-for-parent-age = Pour vous, parent d'un enfant de { $age } ans
sheet-for-parent = Pour vous, parent
sheet-for-child-age = Pour votre enfant de { $age } ans
sheet-for-child = Pour votre enfant
sheet-place = Lieu :
sheet-needs = Ce qui vous intéresse :
sheet-none = Nous n'avons pas trouvé d'action pour cette demande. Parlez-en avec la personne qui vous reçoit.
sheet-unknown-when = Les fiches ne disent pas les jours, les horaires, le prix ni comment y aller : demandez-les aux personnes à appeler.
sheet-given-by = Fiche remise par : ………………………………………… le ………………

## Referrals: the mails to the family (text only)

referral-family-accepted-subject = Votre demande pour « { $action } » est acceptée
referral-family-accepted-body = Bonjour,
    Votre demande pour l'action « { $action } » a été acceptée.
    La suite : { $next }
    Pour toute question, parlez-en au professionnel qui vous a accompagné.
referral-family-refused-subject = Votre demande pour « { $action } »
referral-family-refused-body = Bonjour,
    L'action « { $action } » ne peut pas vous accueillir pour le moment.
    Le professionnel qui vous a accompagné va chercher avec vous une autre solution.
referral-family-expired-subject = Votre demande pour « { $action } »
referral-family-expired-body = Bonjour,
    Votre demande pour l'action « { $action } » n'a pas reçu de réponse à temps.
    Le professionnel qui vous a accompagné va vous recontacter.
referral-family-footer = Ce message vous est envoyé parce que vous avez accepté cette demande. Ne répondez pas à ce courriel.

## The home page of a cité

home-description = Les actions de la { $cite } pour les enfants, les jeunes et leurs familles.
home-national-id = Identifiant national
home-communes = Communes
home-qpv = Quartiers prioritaires (QPV)
home-find = Trouver une action
home-find-text = Les { $n } actions de la { $programme }, par mot, âge, besoin ou quartier.
home-orient-text = L'âge, le lieu, le besoin : les actions qui conviennent et qui appeler.
home-directory = Annuaire des acteurs
home-directory-text = { $organisations } organisations et { $people } personnes : qui fait quoi, avec qui, où.
home-seminar = Séminaire des acteurs
home-seminar-text = Le programme, les ateliers et les questions du séminaire.
home-axes = Les axes de la { $programme }
home-themes = Par besoin
axis-number = Axe { $n }
axis-count = { $n ->
    [one] { $n } action
   *[other] { $n } actions
}

## The needs and the publics, as the search and the orientation name them

theme-assiduite-decrochage = Assiduité scolaire et décrochage
theme-climat-scolaire = Climat scolaire et harcèlement
theme-parentalite-coeducation = Parentalité et coéducation
theme-langue-francaise-lecture = Langue française, lecture et écriture
theme-numerique = Numérique
theme-sante-handicap = Santé, handicap et vie affective
theme-orientation-insertion = Orientation, formation et insertion
theme-culture-sport = Culture et sport
theme-citoyennete-discriminations = Citoyenneté, laïcité et discriminations
theme-petite-enfance = Petite enfance
theme-cooperation-acteurs = Coopération entre acteurs
audience-enfants = Enfants et jeunes
audience-jeunes-adultes = Jeunes adultes
audience-parents = Parents
audience-professionnels = Professionnels
audience-adultes = Adultes

## Finding an action

search-query-title = Recherche « { $q } »
search-keywords = Mots-clés
search-age = Âge de l'enfant
search-age-hint = (en années)
needs = Besoins
search-submit = Rechercher
search-active = Filtres actifs
search-count = { $n ->
    [0] Aucune action trouvée
    [one] 1 action
   *[other] { $n } actions
}
search-none = Aucune action ne correspond à cette recherche.
search-spelling = Vérifiez l'orthographe, ou essayez un mot plus général (« lecture », « parents », « sport »).
search-without-filters = Chercher sans les filtres
search-step-by-step = Orienter une famille pas à pas
search-directory = Dans l'annuaire
search-organisation = organisation
search-person = personne
search-refine = Affiner
search-remove = Retirer :
search-remove-filter = Retirer le filtre « { $label } »
search-suggest = Rechercher « { $q } »
search-words-in-french = Les actions sont décrites en français : cherchez avec des mots français.
facet-axis = Axe
facet-audience = Public
facet-age = Âge
facet-theme = Besoin
facet-territory = Territoire
facet-partner = Partenaire
facet-operator = Opérateur
filter-age = Âge : { $age }
card-for = Pour :

## An axis, an action

axis-heading-note = Titre en tête de ses fiches dans le livret : « { $heading } ».
axis-actions = { $n ->
    [one] L'action de cet axe
   *[other] Les { $n } actions de cet axe
}
action-pdf = Cette fiche en PDF, à imprimer
action-refer = Orienter une famille vers cette action
action-related = Actions proches
action-in-french = Cette fiche est écrite en français, pour les professionnels. La page « Pour les familles » l'explique simplement.
fiche-also = Aussi intitulée :
fiche-inferred = Le livret imprime cette fiche sans en-tête : son numéro ou son titre ont été déduits.
fiche-action = L'action
fiche-objectives = Objectifs
fiche-for-whom = Pour qui
fiche-no-audience = Public non précisé dans le livret.
fiche-where = Où
fiche-whole-city = Toute la ville.
fiche-operators = Qui la mène
fiche-partners = Partenaires
fiche-contacts = Contacts
fiche-resources = Ressources
fiche-place-from-title = d'après le titre de la fiche
fiche-place-from-text = lieu cité dans la description
role-operator = opérateur
role-provider = prestataire

## Orienting a family

orient-lead = Indiquez l'âge de l'enfant, le lieu et le besoin : Passerelle propose les actions qui conviennent et les personnes à appeler. Une fiche à remettre à la famille peut ensuite être imprimée.
orient-child = Un enfant ou un jeune
orient-parent = Un parent
orient-age-hint = (en années, de 0 à 25)
orient-place = École, collège, quartier ou secteur
orient-whole-city = Toute la ville
orient-need = Besoin
orient-need-hint = (un ou plusieurs)
orient-submit = Voir les actions
orient-count = { $n ->
    [0] Aucune action ne correspond
    [one] 1 action correspond
   *[other] { $n } actions correspondent
}
orient-none = Essayez sans préciser le lieu, ou avec un autre besoin.
orient-browse = Vous pouvez aussi parcourir toutes les actions.
orient-sheet = Préparer la fiche à remettre à la famille
orient-why = Pourquoi :
orient-call = Qui appeler :
orient-refer = Envoyer une orientation vers cette action
territory-secteur = Secteur
territory-quartier = Quartier
territory-ecole = École
territory-college = Collège
territory-centre-social = Centre social
territory-reseau = Réseau REP+
territory-cite = Ville

## The directory

directory-lead = Qui fait quoi, avec qui, où : les organisations, les personnes et les territoires de la Cité éducative.
directory-sections = Sections de l'annuaire
directory-organisations = Organisations
directory-people = Personnes
directory-territories = Territoires
directory-also-written = Aussi écrit :
directory-website = Site internet
directory-operates = Actions menées
directory-operates-none = Aucune action menée dans ce programme.
directory-partner-of = Partenaire de
directory-partner-none = Aucune action où l'organisation est citée comme partenaire.
directory-works-with = Travaille avec
directory-reach = Joindre
directory-phone = Téléphone :
directory-email = Courriel :
directory-emails-note = Le livret imprime plusieurs adresses ; la première est la plus fréquente.
directory-contact-for = Contact pour
directory-seminar = Au séminaire
directory-on-territory = Sur ce territoire
directory-structures = Structures
directory-actions-here = Actions menées ici
directory-actions-here-none = Aucune action ne nomme ce territoire.
directory-city-wide = S'y ajoutent { $n } actions menées dans toute la ville.
organisation-association = Association
organisation-commune = Commune
organisation-service-municipal = Service municipal
organisation-service-etat = Service de l'État
organisation-collectivite = Collectivité territoriale
organisation-education-nationale = Éducation nationale
organisation-ecole = École
organisation-college = Collège
organisation-centre-social = Centre social
organisation-mediatheque = Médiathèque
organisation-etablissement-public = Établissement public
organisation-entreprise = Entreprise
organisation-autre = Autre

## Error pages

error-not-found = Page introuvable
error-not-found-text = Cette page n'existe pas, ou plus.
error-bad-request = Demande incomplète
error-bad-request-text = Il manque quelque chose à la demande, ou une valeur n'est pas acceptée.
error-method = Action impossible
error-method-text = Cette action n'est pas possible à cette adresse.
error-unauthorized = Connexion nécessaire
error-unauthorized-text = Il faut se connecter pour voir cette page.
error-forbidden = Accès refusé
error-forbidden-text = Votre compte ne permet pas de voir cette page.
error-conflict = Modification concurrente
error-conflict-text = Quelqu'un d'autre a modifié ces données en même temps.
error-unprocessable = Données refusées
error-unprocessable-text = Certaines données ne sont pas acceptées.
error-gone = Plus disponible
error-gone-text = Ce contenu n'est plus disponible.
error-unavailable = Serveur très sollicité
error-unavailable-text = Le serveur est très sollicité. Réessayez dans quelques instants.
error-internal = Erreur du serveur
error-internal-text = Une erreur s'est produite sur le serveur. Réessayez plus tard.
error-code = Code d'erreur : { $n }
error-continue = Pour continuer
error-signin = Se connecter
error-home = Revenir à l'accueil
error-search = Chercher une action
error-directory = Consulter l'annuaire
