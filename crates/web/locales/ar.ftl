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
