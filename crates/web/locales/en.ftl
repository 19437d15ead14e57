# Passerelle — the interface in English.
# Drafted by the Passerelle team; awaiting review by a native speaker.

## The frame of every page

skip = Skip to content
nav-label = Main menu
nav-home = Home
nav-actions = Activities
nav-orient = Guide a family
nav-directory = Directory
nav-seminar = Seminar
nav-review = Review
nav-quality = Data quality
nav-all-cites = All the cités
nav-national-search = Find an activity
nav-national-orient = Guide a family who is moving
nav-national-review = Review of all the cités
footer-accessibility = Accessibility: partially compliant
footer-accessibility-link = accessibility statement
footer-open-data = Open data:
footer-api = JSON API (OpenAPI)
footer-signin = For professionals: sign in
crumbs = Breadcrumb
home-family-offer = For families: the activities explained simply, in English
languages = Languages
translation-draft = This translation was written by the Passerelle team. It is waiting to be checked by a native speaker.
translation-reviewed = This translation was written by the Passerelle team and checked by { $name }.
translation-unreviewed = This translation has not yet been checked by a native speaker.
content-in-french = The names and the texts of the activity sheet are written in French.

## An action told to families

family-title = { $title }: for families
fiche-number = Sheet no. { $n }
family-crumb = For families
family-lead = This activity explained to families, with what its sheet says.
family-for-whom = Who is it for?
family-unknown-whom = The sheet does not say.
family-where = Where?
family-unknown-where = The sheet does not say where. Ask the person to call.
family-places-named = The places named on the sheet:
family-run-by = Who runs it?
family-when = When? How much does it cost?
family-unknown-when = The sheet does not give the days, the times, the price or how to get there. Ask the person to call.
family-call = Who to call?
family-no-contact = The sheet gives no one to call. Talk about it with the person you are seeing.
family-phone = phone
family-email = email
family-more = More details: the full sheet, written for professionals
family-steering = runs the Cité éducative
family-link = For families: this activity explained simply
ages-range = aged { $min } to { $max }
ages-one = aged { $age }
ages-baby = under one year old
ages-of-children = for children { $ages }
place-quartier = Neighbourhoods
place-centre-social = Social centres
place-ecole = Schools
place-college = Secondary schools
place-reseau = Priority education networks
place-secteur = Areas of the town
place-cite = The whole town

## The sheet handed to a family

sheet-title = Activities near you
sheet-back = Back to the search
sheet-print = Use the "Print" button of your browser to print this sheet.
sheet-for-parent-age = For you, the parent of a child aged { $age }
sheet-for-parent = For you, a parent
sheet-for-child-age = For your child aged { $age }
sheet-for-child = For your child
sheet-place = Place:
sheet-needs = What interests you:
sheet-none = We did not find an activity for this request. Talk about it with the person you are seeing.
sheet-unknown-when = The sheets do not give the days, the times, the price or how to get there: ask the people to call.
sheet-given-by = Sheet given by: ………………………………………… on ………………

## Referrals: the mails to the family (text only)

referral-family-accepted-subject = Your request for “{ $action }” is accepted
referral-family-accepted-body = Hello,
    Your request for the action “{ $action }” has been accepted.
    Next step: { $next }
    For any question, talk to the professional who helped you.
referral-family-refused-subject = Your request for “{ $action }”
referral-family-refused-body = Hello,
    The action “{ $action }” cannot take you in for now.
    The professional who helped you will look for another solution with you.
referral-family-expired-subject = Your request for “{ $action }”
referral-family-expired-body = Hello,
    Your request for the action “{ $action }” did not get an answer in time.
    The professional who helped you will contact you again.
referral-family-footer = You receive this message because you agreed to this request. Do not reply to this email.
