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

## The home page of a cité

home-description = The actions of the { $cite } for children, young people and their families.
home-national-id = National identifier
home-communes = Municipalities
home-qpv = Priority neighbourhoods (QPV)
home-find = Find an action
home-find-text = The { $n } actions of the { $programme }, by word, age, need or neighbourhood.
home-orient-text = The age, the place, the need: the actions that fit and whom to call.
home-directory = Directory of the partners
home-directory-text = { $organisations } organisations and { $people } people: who does what, with whom, where.
home-seminar = Partners' seminar
home-seminar-text = The programme, the workshops and the questions of the seminar.
home-axes = The axes of the { $programme }
home-themes = By need
axis-number = Axis { $n }
axis-count = { $n ->
    [one] { $n } action
   *[other] { $n } actions
}

## The needs and the publics, as the search and the orientation name them

theme-assiduite-decrochage = School attendance and dropping out
theme-climat-scolaire = School climate and bullying
theme-parentalite-coeducation = Parenting and working with parents
theme-langue-francaise-lecture = French language, reading and writing
theme-numerique = Digital skills
theme-sante-handicap = Health, disability and emotional life
theme-orientation-insertion = Guidance, training and finding work
theme-culture-sport = Culture and sport
theme-citoyennete-discriminations = Citizenship, secularism and discrimination
theme-petite-enfance = Early childhood
theme-cooperation-acteurs = Cooperation between partners
audience-enfants = Children and young people
audience-jeunes-adultes = Young adults
audience-parents = Parents
audience-professionnels = Professionals
audience-adultes = Adults

## Finding an action

search-query-title = Search “{ $q }”
search-keywords = Keywords
search-age = Age of the child
search-age-hint = (in years)
needs = Needs
search-submit = Search
search-active = Active filters
search-count = { $n ->
    [0] No action found
    [one] 1 action
   *[other] { $n } actions
}
search-none = No action matches this search.
search-spelling = Check the spelling, or try a more general French word (“lecture”, “parents”, “sport”).
search-without-filters = Search without the filters
search-step-by-step = Orient a family step by step
search-directory = In the directory
search-organisation = organisation
search-person = person
search-refine = Refine
search-remove = Remove:
search-remove-filter = Remove the filter “{ $label }”
search-suggest = Search “{ $q }”
search-words-in-french = The actions are described in French: search with French words.
facet-axis = Axis
facet-audience = Public
facet-age = Age
facet-theme = Need
facet-territory = Area
facet-partner = Partner
facet-operator = Operator
filter-age = Age: { $age }
card-for = For:

## An axis, an action

axis-heading-note = Title at the top of its sheets in the booklet: “{ $heading }”.
axis-actions = { $n ->
    [one] The action of this axis
   *[other] The { $n } actions of this axis
}
action-pdf = This sheet as a PDF, to print
action-refer = Refer a family to this action
action-related = Related actions
action-in-french = This sheet is written in French, for professionals. The page “For families” explains it simply.
fiche-also = Also called:
fiche-inferred = The booklet prints this sheet without a heading: its number or its title were deduced.
fiche-action = The action
fiche-objectives = Objectives
fiche-for-whom = Who it is for
fiche-no-audience = The booklet does not say who it is for.
fiche-where = Where
fiche-whole-city = The whole town.
fiche-operators = Who runs it
fiche-partners = Partners
fiche-contacts = Contacts
fiche-resources = Resources
fiche-place-from-title = from the title of the sheet
fiche-place-from-text = place named in the description
role-operator = operator
role-provider = service provider

## Orienting a family

orient-lead = Give the child's age, the place and the need: Passerelle suggests the actions that fit and the people to call. You can then print a sheet to give to the family.
orient-child = A child or a young person
orient-parent = A parent
orient-age-hint = (in years, from 0 to 25)
orient-place = School, secondary school, neighbourhood or sector
orient-whole-city = The whole town
orient-need = Need
orient-need-hint = (one or more)
orient-submit = See the actions
orient-count = { $n ->
    [0] No action matches
    [one] 1 action matches
   *[other] { $n } actions match
}
orient-none = Try without the place, or with another need.
orient-browse = You can also browse all the actions.
orient-sheet = Prepare the sheet to give to the family
orient-why = Why:
orient-call = Whom to call:
orient-refer = Send a referral to this action
territory-secteur = Sector
territory-quartier = Neighbourhood
territory-ecole = Primary school
territory-college = Secondary school
territory-centre-social = Social centre
territory-reseau = REP+ network
territory-cite = Town

## The directory

directory-lead = Who does what, with whom, where: the organisations, the people and the areas of the Cité éducative.
directory-sections = Sections of the directory
directory-organisations = Organisations
directory-people = People
directory-territories = Areas
directory-also-written = Also written:
directory-website = Website
directory-operates = Actions it runs
directory-operates-none = No action run in this programme.
directory-partner-of = Partner of
directory-partner-none = No action names this organisation as a partner.
directory-works-with = Works with
directory-reach = How to reach
directory-phone = Phone:
directory-email = Email:
directory-emails-note = The booklet prints several addresses; the first is the most frequent.
directory-contact-for = Contact for
directory-seminar = At the seminar
directory-on-territory = In this area
directory-structures = Organisations here
directory-actions-here = Actions run here
directory-actions-here-none = No action names this area.
directory-city-wide = Add to these the { $n } actions run in the whole town.
organisation-association = Association
organisation-commune = Municipality
organisation-service-municipal = Municipal service
organisation-service-etat = State service
organisation-collectivite = Local authority
organisation-education-nationale = National education
organisation-ecole = School
organisation-college = Secondary school
organisation-centre-social = Social centre
organisation-mediatheque = Library
organisation-etablissement-public = Public body
organisation-entreprise = Company
organisation-autre = Other

## Error pages

error-not-found = Page not found
error-not-found-text = This page does not exist, or no longer exists.
error-bad-request = Incomplete request
error-bad-request-text = Something is missing from the request, or a value is not accepted.
error-method = Action not possible
error-method-text = This action is not possible at this address.
error-unauthorized = Signing in needed
error-unauthorized-text = You need to sign in to see this page.
error-forbidden = Access refused
error-forbidden-text = Your account does not allow you to see this page.
error-conflict = Changed at the same time
error-conflict-text = Someone else changed this data at the same time.
error-unprocessable = Data refused
error-unprocessable-text = Some of the data is not accepted.
error-gone = No longer available
error-gone-text = This content is no longer available.
error-unavailable = Server very busy
error-unavailable-text = The server is very busy. Try again in a few moments.
error-internal = Server error
error-internal-text = An error occurred on the server. Try again later.
error-code = Error code: { $n }
error-continue = To go on
error-signin = Sign in
error-home = Back to the home page
error-search = Find an action
error-directory = See the directory
