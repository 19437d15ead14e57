# Passerelle — الواجهة باللغة العربية.
# Drafted by the Passerelle team; awaiting review by a native speaker.

## The frame of every page

skip = الانتقال إلى المحتوى
nav-label = القائمة الرئيسية
nav-home = الصفحة الرئيسية
nav-actions = الأنشطة
nav-orient = توجيه عائلة
nav-directory = الدليل
nav-seminar = الندوة
nav-review = الحصيلة
nav-quality = جودة البيانات
nav-all-cites = جميع المدن التربوية
nav-national-search = البحث عن نشاط
nav-national-orient = توجيه عائلة تنتقل إلى مدينة أخرى
nav-national-review = حصيلة جميع المدن التربوية
footer-accessibility = إمكانية الوصول: مطابقة جزئيًا
footer-accessibility-link = بيان إمكانية الوصول
footer-open-data = البيانات المفتوحة:
footer-api = واجهة برمجة JSON ‏(OpenAPI)
footer-signin = فضاء المهنيين: تسجيل الدخول
crumbs = مسار التنقل
home-family-offer = للعائلات: شرح مبسط للأنشطة باللغة العربية
languages = اللغات
translation-draft = كتب فريق Passerelle هذه الترجمة. وهي في انتظار مراجعة شخص لغته الأم العربية.
translation-reviewed = كتب فريق Passerelle هذه الترجمة وراجعها { $name }.
translation-unreviewed = لم يراجع هذه الترجمة بعد شخص لغته الأم العربية.
content-in-french = الأسماء والنصوص الموجودة في البطاقة مكتوبة باللغة الفرنسية.

## An action told to families

family-title = { $title }: للعائلات
fiche-number = البطاقة رقم { $n }
family-crumb = للعائلات
family-lead = شرح هذا النشاط للعائلات، حسب ما تقوله بطاقته.
family-for-whom = لمن؟
family-unknown-whom = البطاقة لا تذكر ذلك.
family-where = أين؟
family-unknown-where = البطاقة لا تذكر المكان. اسألوا الشخص الذي يجب الاتصال به.
family-places-named = الأماكن المذكورة في البطاقة:
family-run-by = من ينظمه؟
family-when = متى؟ كم يكلف؟
family-unknown-when = البطاقة لا تذكر الأيام ولا الأوقات ولا السعر ولا كيفية الوصول. اسألوا الشخص الذي يجب الاتصال به.
family-call = بمن نتصل؟
family-no-contact = البطاقة لا تذكر أي شخص للاتصال به. تحدثوا في ذلك مع الشخص الذي يستقبلكم.
family-phone = الهاتف
family-email = البريد الإلكتروني
family-more = مزيد من التفاصيل: البطاقة الكاملة المكتوبة للمهنيين
family-steering = قيادة المدينة التربوية
family-link = للعائلات: شرح مبسط لهذا النشاط
ages-range = من { $min } إلى { $max } سنة
ages-one = في سن { $age }
ages-baby = أقل من سنة
ages-of-children = لأطفال { $ages }
place-quartier = الأحياء
place-centre-social = المراكز الاجتماعية
place-ecole = المدارس الابتدائية
place-college = المدارس الإعدادية
place-reseau = شبكات التعليم ذات الأولوية
place-secteur = قطاعات المدينة
place-cite = المدينة كلها

## The sheet handed to a family

sheet-title = أنشطة قريبة منكم
sheet-back = العودة إلى البحث
sheet-print = استعملوا وظيفة «طباعة» في متصفحكم لطباعة هذه البطاقة.
sheet-for-parent-age = لكم، أولياء طفل عمره { $age } سنة
sheet-for-parent = لكم، أيها الأولياء
sheet-for-child-age = لطفلكم البالغ من العمر { $age } سنة
sheet-for-child = لطفلكم
sheet-place = المكان:
sheet-needs = ما يهمكم:
sheet-none = لم نجد أي نشاط لهذا الطلب. تحدثوا في ذلك مع الشخص الذي يستقبلكم.
sheet-unknown-when = البطاقات لا تذكر الأيام ولا الأوقات ولا السعر ولا كيفية الوصول: اسألوا الأشخاص الذين يجب الاتصال بهم.
sheet-given-by = سلّم هذه البطاقة: ………………………………………… بتاريخ ………………

## Referrals: the mails to the family (text only)

referral-family-accepted-subject = تم قبول طلبكم لـ « { $action } »
referral-family-accepted-body = مرحبًا،
    تم قبول طلبكم للنشاط « { $action } ».
    الخطوة التالية: { $next }
    لأي سؤال، تحدثوا مع المهني الذي رافقكم.
referral-family-refused-subject = طلبكم لـ « { $action } »
referral-family-refused-body = مرحبًا،
    لا يستطيع النشاط « { $action } » استقبالكم في الوقت الحالي.
    سيبحث معكم المهني الذي رافقكم عن حل آخر.
referral-family-expired-subject = طلبكم لـ « { $action } »
referral-family-expired-body = مرحبًا،
    لم يتلقَّ طلبكم للنشاط « { $action } » ردًا في الوقت المحدد.
    سيتصل بكم المهني الذي رافقكم من جديد.
referral-family-footer = وصلتكم هذه الرسالة لأنكم وافقتم على هذا الطلب. لا تردّوا على هذه الرسالة.

## The home page of a cité

home-description = أنشطة { $cite } للأطفال والشباب وعائلاتهم.
home-national-id = المعرّف الوطني
home-communes = البلديات
home-qpv = الأحياء ذات الأولوية (QPV)
home-find = البحث عن نشاط
home-find-text = أنشطة { $programme } وعددها { $n }، حسب الكلمة أو العمر أو الحاجة أو الحي.
home-orient-text = العمر والمكان والحاجة: الأنشطة المناسبة ومن يجب الاتصال به.
home-directory = دليل الشركاء
home-directory-text = { $organisations } هيئة و{ $people } شخصًا: من يفعل ماذا، ومع من، وأين.
home-seminar = ندوة الشركاء
home-seminar-text = برنامج الندوة وورشاتها وأسئلتها.
home-axes = محاور { $programme }
home-themes = حسب الحاجة
axis-number = المحور { $n }
axis-count = { $n ->
    [zero] لا نشاط
    [one] نشاط واحد
    [two] نشاطان
    [few] { $n } أنشطة
    [many] { $n } نشاطًا
   *[other] { $n } نشاط
}

## The needs and the publics, as the search and the orientation name them

theme-assiduite-decrochage = المواظبة على الدراسة والانقطاع عنها
theme-climat-scolaire = المناخ المدرسي والتنمّر
theme-parentalite-coeducation = الوالدية والتربية المشتركة مع المدرسة
theme-langue-francaise-lecture = اللغة الفرنسية والقراءة والكتابة
theme-numerique = الرقمي
theme-sante-handicap = الصحة والإعاقة والحياة العاطفية
theme-orientation-insertion = التوجيه والتكوين والإدماج المهني
theme-culture-sport = الثقافة والرياضة
theme-citoyennete-discriminations = المواطنة والعلمانية ومكافحة التمييز
theme-petite-enfance = الطفولة المبكرة
theme-cooperation-acteurs = التعاون بين الشركاء
audience-enfants = الأطفال والشباب
audience-jeunes-adultes = الشباب البالغون
audience-parents = الآباء والأمهات
audience-professionnels = المهنيون
audience-adultes = البالغون

## Finding an action

search-query-title = البحث عن «{ $q }»
search-keywords = كلمات البحث
search-age = عمر الطفل
search-age-hint = (بالسنوات)
needs = الحاجات
search-submit = بحث
search-active = عوامل التصفية المفعّلة
search-count = { $n ->
    [0] لم يُعثر على أي نشاط
    [one] نشاط واحد
    [two] نشاطان
    [few] { $n } أنشطة
    [many] { $n } نشاطًا
   *[other] { $n } نشاط
}
search-none = لا يوجد نشاط يطابق هذا البحث.
search-spelling = تحقّق من الإملاء، أو جرّب كلمة فرنسية أعمّ («lecture»، «parents»، «sport»).
search-without-filters = البحث دون عوامل التصفية
search-step-by-step = توجيه عائلة خطوة بخطوة
search-directory = في الدليل
search-organisation = هيئة
search-person = شخص
search-refine = تدقيق البحث
search-remove = إزالة:
search-remove-filter = إزالة عامل التصفية «{ $label }»
search-suggest = البحث عن «{ $q }»
search-words-in-french = الأنشطة موصوفة باللغة الفرنسية: ابحث بكلمات فرنسية.
facet-axis = المحور
facet-audience = الفئة المستهدفة
facet-age = العمر
facet-theme = الحاجة
facet-territory = المنطقة
facet-partner = الشريك
facet-operator = الجهة المنفّذة
filter-age = العمر: { $age }
card-for = لـ:

## An axis, an action

axis-heading-note = العنوان في أعلى بطاقاته في الكتيّب: «{ $heading }».
axis-actions = { $n ->
    [one] نشاط هذا المحور
   *[other] أنشطة هذا المحور ({ $n })
}
action-pdf = هذه البطاقة بصيغة PDF للطباعة
action-refer = توجيه عائلة إلى هذا النشاط
action-related = أنشطة قريبة
action-in-french = هذه البطاقة مكتوبة باللغة الفرنسية للمهنيين. صفحة «للعائلات» تشرحها ببساطة.
fiche-also = ويُسمّى أيضًا:
fiche-inferred = يطبع الكتيّب هذه البطاقة بلا عنوان: استُنتج رقمها أو عنوانها.
fiche-action = النشاط
fiche-objectives = الأهداف
fiche-for-whom = لمن
fiche-no-audience = لا يذكر الكتيّب الفئة المستهدفة.
fiche-where = أين
fiche-whole-city = المدينة كلها.
fiche-operators = من يديره
fiche-partners = الشركاء
fiche-contacts = جهات الاتصال
fiche-resources = الموارد
fiche-place-from-title = حسب عنوان البطاقة
fiche-place-from-text = مكان مذكور في الوصف
role-operator = جهة منفّذة
role-provider = مقدّم خدمة

## Orienting a family

orient-lead = أدخِل عمر الطفل والمكان والحاجة: يقترح Passerelle الأنشطة المناسبة والأشخاص الذين يمكن الاتصال بهم. ويمكنك بعد ذلك طباعة بطاقة تُسلَّم إلى العائلة.
orient-child = طفل أو شاب
orient-parent = أحد الوالدين
orient-age-hint = (بالسنوات، من 0 إلى 25)
orient-place = المدرسة أو الإعدادية أو الحي أو القطاع
orient-whole-city = المدينة كلها
orient-need = الحاجة
orient-need-hint = (واحدة أو أكثر)
orient-submit = عرض الأنشطة
orient-count = { $n ->
    [0] لا يوجد نشاط مناسب
    [one] نشاط واحد مناسب
    [two] نشاطان مناسبان
    [few] { $n } أنشطة مناسبة
    [many] { $n } نشاطًا مناسبًا
   *[other] { $n } نشاط مناسب
}
orient-none = جرّب دون تحديد المكان، أو بحاجة أخرى.
orient-browse = يمكنك أيضًا تصفّح جميع الأنشطة.
orient-sheet = إعداد البطاقة التي تُسلَّم إلى العائلة
orient-why = لماذا:
orient-call = بمن تتصل:
orient-refer = إرسال توجيه إلى هذا النشاط
territory-secteur = القطاع
territory-quartier = الحي
territory-ecole = المدرسة الابتدائية
territory-college = الإعدادية
territory-centre-social = المركز الاجتماعي
territory-reseau = شبكة REP+
territory-cite = المدينة

## The directory

directory-lead = من يفعل ماذا، ومع من، وأين: هيئات المدينة التربوية وأشخاصها ومناطقها.
directory-sections = أقسام الدليل
directory-organisations = الهيئات
directory-people = الأشخاص
directory-territories = المناطق
directory-also-written = ويُكتب أيضًا:
directory-website = الموقع الإلكتروني
directory-operates = الأنشطة التي تديرها
directory-operates-none = لا تدير أي نشاط في هذا البرنامج.
directory-partner-of = شريكة في
directory-partner-none = لا يذكر أي نشاط هذه الهيئة شريكةً.
directory-works-with = تعمل مع
directory-reach = للتواصل
directory-phone = الهاتف:
directory-email = البريد الإلكتروني:
directory-emails-note = يطبع الكتيّب عدة عناوين، والأول هو الأكثر تكرارًا.
directory-contact-for = جهة الاتصال لـ
directory-seminar = في الندوة
directory-on-territory = في هذه المنطقة
directory-structures = الهيئات
directory-actions-here = الأنشطة المنفّذة هنا
directory-actions-here-none = لا يذكر أي نشاط هذه المنطقة.
directory-city-wide = تُضاف إليها أنشطة منفّذة في المدينة كلها، وعددها { $n }.
organisation-association = جمعية
organisation-commune = بلدية
organisation-service-municipal = مصلحة بلدية
organisation-service-etat = مصلحة تابعة للدولة
organisation-collectivite = جماعة محلية
organisation-education-nationale = التربية الوطنية
organisation-ecole = مدرسة
organisation-college = إعدادية
organisation-centre-social = مركز اجتماعي
organisation-mediatheque = مكتبة
organisation-etablissement-public = مؤسسة عمومية
organisation-entreprise = شركة
organisation-autre = أخرى

## Error pages

error-not-found = الصفحة غير موجودة
error-not-found-text = هذه الصفحة غير موجودة، أو لم تعد موجودة.
error-bad-request = طلب غير مكتمل
error-bad-request-text = ينقص الطلبَ شيء ما، أو أن إحدى القيم غير مقبولة.
error-method = إجراء غير ممكن
error-method-text = هذا الإجراء غير ممكن في هذا العنوان.
error-unauthorized = يلزم تسجيل الدخول
error-unauthorized-text = يجب تسجيل الدخول لرؤية هذه الصفحة.
error-forbidden = الدخول مرفوض
error-forbidden-text = حسابك لا يسمح برؤية هذه الصفحة.
error-conflict = تعديل متزامن
error-conflict-text = عدّل شخص آخر هذه البيانات في الوقت نفسه.
error-unprocessable = بيانات مرفوضة
error-unprocessable-text = بعض البيانات غير مقبولة.
error-gone = لم يعد متاحًا
error-gone-text = هذا المحتوى لم يعد متاحًا.
error-unavailable = الخادم مشغول جدًا
error-unavailable-text = الخادم مشغول جدًا. أعد المحاولة بعد لحظات.
error-internal = خطأ في الخادم
error-internal-text = حدث خطأ في الخادم. أعد المحاولة لاحقًا.
error-code = رمز الخطأ: { $n }
error-continue = للمتابعة
error-signin = تسجيل الدخول
error-home = العودة إلى الصفحة الرئيسية
error-search = البحث عن نشاط
error-directory = الاطلاع على الدليل
