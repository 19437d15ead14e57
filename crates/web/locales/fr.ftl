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

referral-family-accepted-subject = Votre demande pour « { $action } » est acceptée
referral-family-accepted-body = Bonjour,
    Votre demande pour l'action « { $action } » a été acceptée.
    La suite : { $next }
    Pour toute question, parlez-en au professionnel qui vous a accompagné.
referral-family-refused-subject = Votre demande pour « { $action } »
referral-family-refused-body = Bonjour,
    L'action « { $action } » ne peut pas vous accueillir pour le moment.
    Le professionnel qui vous a accompagné va chercher avec vous une autre solution.
referral-family-expired-subject = Votre demande pour « { $action } »
referral-family-expired-body = Bonjour,
    Votre demande pour l'action « { $action } » n'a pas reçu de réponse à temps.
    Le professionnel qui vous a accompagné va vous recontacter.
referral-family-footer = Ce message vous est envoyé parce que vous avez accepté cette demande. Ne répondez pas à ce courriel.
