# Passerelle — Türkçe arayüz.
# Drafted by the Passerelle team; awaiting review by a native speaker.

## The frame of every page

skip = İçeriğe geç
nav-label = Ana menü
nav-home = Ana sayfa
nav-actions = Etkinlikler
nav-orient = Bir aileyi yönlendir
nav-directory = Rehber
nav-seminar = Seminer
nav-review = Değerlendirme
nav-quality = Veri kalitesi
nav-all-cites = Tüm cité'ler
nav-national-search = Bir etkinlik ara
nav-national-orient = Taşınan bir aileyi yönlendir
nav-national-review = Tüm cité'lerin değerlendirmesi
footer-accessibility = Erişilebilirlik: kısmen uyumlu
footer-accessibility-link = erişilebilirlik beyanı
footer-open-data = Açık veri:
footer-api = JSON API (OpenAPI)
footer-signin = Profesyoneller için: giriş yap
crumbs = Sayfa yolu
home-family-offer = Aileler için: etkinliklerin Türkçe basit anlatımı
languages = Diller
translation-draft = Bu çeviri Passerelle ekibi tarafından yazıldı. Anadili Türkçe olan birinin kontrol etmesini bekliyor.
translation-reviewed = Bu çeviri Passerelle ekibi tarafından yazıldı ve { $name } tarafından kontrol edildi.
translation-unreviewed = Bu çeviri henüz anadili Türkçe olan biri tarafından kontrol edilmedi.
content-in-french = Fişteki adlar ve metinler Fransızca yazılmıştır.

## An action told to families

family-title = { $title }: aileler için
fiche-number = { $n } numaralı fiş
family-crumb = Aileler için
family-lead = Bu etkinlik, fişinde yazanlarla ailelere anlatılıyor.
family-for-whom = Kimin için?
family-unknown-whom = Fişte yazmıyor.
family-where = Nerede?
family-unknown-where = Fişte yeri yazmıyor. Aranacak kişiye sorun.
family-places-named = Fişte adı geçen yerler:
family-run-by = Kim düzenliyor?
family-when = Ne zaman? Ücreti ne kadar?
family-unknown-when = Fişte günler, saatler, ücret ve oraya nasıl gidileceği yazmıyor. Aranacak kişiye sorun.
family-call = Kimi aramalı?
family-no-contact = Fişte aranacak kimse yazmıyor. Sizi karşılayan kişiyle konuşun.
family-phone = telefon
family-email = e-posta
family-more = Daha fazla bilgi: profesyoneller için yazılmış tam fiş
family-steering = Cité éducative yönetimi
family-link = Aileler için: bu etkinliğin basit anlatımı
ages-range = { $min }-{ $max } yaş arası
ages-one = { $age } yaşındaki
ages-baby = bir yaşından küçük
ages-of-children = { $ages } çocuklar için
place-quartier = Mahalleler
place-centre-social = Sosyal merkezler
place-ecole = İlkokullar
place-college = Ortaokullar
place-reseau = Öncelikli eğitim ağları
place-secteur = Şehrin bölgeleri
place-cite = Bütün şehir

## The sheet handed to a family

sheet-title = Size yakın etkinlikler
sheet-back = Aramaya dön
sheet-print = Bu fişi yazdırmak için tarayıcınızın «Yazdır» işlevini kullanın.
sheet-for-parent-age = Sizin için: { $age } yaşında bir çocuğun ebeveyni
sheet-for-parent = Sizin için: ebeveyn
sheet-for-child-age = { $age } yaşındaki çocuğunuz için
sheet-for-child = Çocuğunuz için
sheet-place = Yer:
sheet-needs = İlgilendiğiniz konular:
sheet-none = Bu istek için bir etkinlik bulamadık. Sizi karşılayan kişiyle konuşun.
sheet-unknown-when = Fişlerde günler, saatler, ücret ve oraya nasıl gidileceği yazmıyor: aranacak kişilere sorun.
sheet-given-by = Fişi veren: ………………………………………… tarih: ………………

## Referrals: the mails to the family (text only)

referral-family-accepted-subject = « { $action } » için başvurunuz kabul edildi
referral-family-accepted-body = Merhaba,
    « { $action } » etkinliği için başvurunuz kabul edildi.
    Sonraki adım: { $next }
    Sorularınız için size eşlik eden uzmanla konuşun.
referral-family-refused-subject = « { $action } » için başvurunuz
referral-family-refused-body = Merhaba,
    « { $action } » etkinliği şu anda sizi kabul edemiyor.
    Size eşlik eden uzman sizinle birlikte başka bir çözüm arayacak.
referral-family-expired-subject = « { $action } » için başvurunuz
referral-family-expired-body = Merhaba,
    « { $action } » etkinliği için başvurunuz zamanında yanıt almadı.
    Size eşlik eden uzman sizinle yeniden iletişime geçecek.
referral-family-footer = Bu başvuruyu kabul ettiğiniz için bu mesajı alıyorsunuz. Bu e-postayı yanıtlamayın.

## The home page of a cité

home-description = { $cite } kapsamında çocuklar, gençler ve aileleri için etkinlikler.
home-national-id = Ulusal kimlik numarası
home-communes = Belediyeler
home-qpv = Öncelikli mahalleler (QPV)
home-find = Etkinlik bul
home-find-text = { $programme } programının { $n } etkinliği: kelimeye, yaşa, ihtiyaca veya mahalleye göre.
home-orient-text = Yaş, yer, ihtiyaç: uygun etkinlikler ve kimin aranacağı.
home-directory = Paydaşlar rehberi
home-directory-text = { $organisations } kuruluş ve { $people } kişi: kim ne yapıyor, kiminle, nerede.
home-seminar = Paydaşlar semineri
home-seminar-text = Seminerin programı, atölyeleri ve soruları.
home-axes = { $programme } programının eksenleri
home-themes = İhtiyaca göre
axis-number = Eksen { $n }
axis-count = { $n } etkinlik

## The needs and the publics, as the search and the orientation name them

theme-assiduite-decrochage = Okula devam ve okulu bırakma
theme-climat-scolaire = Okul ortamı ve zorbalık
theme-parentalite-coeducation = Ebeveynlik ve okulla iş birliği
theme-langue-francaise-lecture = Fransızca, okuma ve yazma
theme-numerique = Dijital beceriler
theme-sante-handicap = Sağlık, engellilik ve duygusal yaşam
theme-orientation-insertion = Yönlendirme, eğitim ve işe yerleşme
theme-culture-sport = Kültür ve spor
theme-citoyennete-discriminations = Vatandaşlık, laiklik ve ayrımcılık
theme-petite-enfance = Erken çocukluk
theme-cooperation-acteurs = Paydaşlar arası iş birliği
audience-enfants = Çocuklar ve gençler
audience-jeunes-adultes = Genç yetişkinler
audience-parents = Ebeveynler
audience-professionnels = Profesyoneller
audience-adultes = Yetişkinler

## Finding an action

search-query-title = Arama: “{ $q }”
search-keywords = Anahtar kelimeler
search-age = Çocuğun yaşı
search-age-hint = (yıl olarak)
needs = İhtiyaçlar
search-submit = Ara
search-active = Etkin filtreler
search-count = { $n ->
    [0] Hiç etkinlik bulunamadı
   *[other] { $n } etkinlik
}
search-none = Bu aramaya uyan etkinlik yok.
search-spelling = Yazımı kontrol edin veya daha genel bir Fransızca kelime deneyin (“lecture”, “parents”, “sport”).
search-without-filters = Filtreler olmadan ara
search-step-by-step = Bir aileyi adım adım yönlendir
search-directory = Rehberde
search-organisation = kuruluş
search-person = kişi
search-refine = Daralt
search-remove = Kaldır:
search-remove-filter = “{ $label }” filtresini kaldır
search-suggest = “{ $q }” ara
search-words-in-french = Etkinlikler Fransızca anlatılmıştır: Fransızca kelimelerle arayın.
facet-axis = Eksen
facet-audience = Kimler için
facet-age = Yaş
facet-theme = İhtiyaç
facet-territory = Bölge
facet-partner = Ortak
facet-operator = Yürüten kuruluş
filter-age = Yaş: { $age }
card-for = Kimler için:

## An axis, an action

axis-heading-note = Kitapçıkta fişlerinin başındaki başlık: “{ $heading }”.
axis-actions = Bu eksenin { $n } etkinliği
action-pdf = Yazdırmak için bu fişin PDF hâli
action-refer = Bir aileyi bu etkinliğe yönlendir
action-related = Benzer etkinlikler
action-in-french = Bu fiş profesyoneller için Fransızca yazılmıştır. “Aileler için” sayfası onu basitçe anlatır.
fiche-also = Diğer adı:
fiche-inferred = Kitapçık bu fişi başlıksız basıyor: numarası veya başlığı tahmin edildi.
fiche-action = Etkinlik
fiche-objectives = Hedefler
fiche-for-whom = Kimin için
fiche-no-audience = Kitapçık kimin için olduğunu söylemiyor.
fiche-where = Nerede
fiche-whole-city = Tüm şehir.
fiche-operators = Kim yürütüyor
fiche-partners = Ortaklar
fiche-contacts = İletişim
fiche-resources = Kaynaklar
fiche-place-from-title = fişin başlığına göre
fiche-place-from-text = açıklamada geçen yer
role-operator = yürüten kuruluş
role-provider = hizmet sağlayıcı

## Orienting a family

orient-lead = Çocuğun yaşını, yeri ve ihtiyacı belirtin: Passerelle uygun etkinlikleri ve aranacak kişileri önerir. Ardından aileye verilecek bir fiş yazdırabilirsiniz.
orient-child = Bir çocuk veya genç
orient-parent = Bir ebeveyn
orient-age-hint = (yıl olarak, 0 ile 25 arası)
orient-place = Okul, ortaokul, mahalle veya bölge
orient-whole-city = Tüm şehir
orient-need = İhtiyaç
orient-need-hint = (bir veya birkaç)
orient-submit = Etkinlikleri gör
orient-count = { $n ->
    [0] Uyan etkinlik yok
   *[other] { $n } etkinlik uyuyor
}
orient-none = Yeri belirtmeden veya başka bir ihtiyaçla deneyin.
orient-browse = Tüm etkinliklere de göz atabilirsiniz.
orient-sheet = Aileye verilecek fişi hazırla
orient-why = Neden:
orient-call = Kimi aramalı:
orient-refer = Bu etkinliğe bir yönlendirme gönder
territory-secteur = Bölge
territory-quartier = Mahalle
territory-ecole = İlkokul
territory-college = Ortaokul
territory-centre-social = Sosyal merkez
territory-reseau = REP+ ağı
territory-cite = Şehir

## The directory

directory-lead = Kim ne yapıyor, kiminle, nerede: Cité éducative'in kuruluşları, kişileri ve bölgeleri.
directory-sections = Rehberin bölümleri
directory-organisations = Kuruluşlar
directory-people = Kişiler
directory-territories = Bölgeler
directory-also-written = Diğer yazılışı:
directory-website = İnternet sitesi
directory-operates = Yürüttüğü etkinlikler
directory-operates-none = Bu programda yürüttüğü etkinlik yok.
directory-partner-of = Ortağı olduğu etkinlikler
directory-partner-none = Bu kuruluşu ortak olarak anan etkinlik yok.
directory-works-with = Birlikte çalıştıkları
directory-reach = Ulaşmak için
directory-phone = Telefon:
directory-email = E-posta:
directory-emails-note = Kitapçıkta birkaç adres var; ilki en sık geçenidir.
directory-contact-for = İletişim kişisi olduğu etkinlikler
directory-seminar = Seminerde
directory-on-territory = Bu bölgede
directory-structures = Kuruluşlar
directory-actions-here = Burada yürütülen etkinlikler
directory-actions-here-none = Bu bölgeyi anan etkinlik yok.
directory-city-wide = Bunlara tüm şehirde yürütülen { $n } etkinlik eklenir.
organisation-association = Dernek
organisation-commune = Belediye
organisation-service-municipal = Belediye hizmeti
organisation-service-etat = Devlet hizmeti
organisation-collectivite = Yerel yönetim
organisation-education-nationale = Millî Eğitim
organisation-ecole = Okul
organisation-college = Ortaokul
organisation-centre-social = Sosyal merkez
organisation-mediatheque = Kütüphane
organisation-etablissement-public = Kamu kurumu
organisation-entreprise = Şirket
organisation-autre = Diğer

## Error pages

error-not-found = Sayfa bulunamadı
error-not-found-text = Bu sayfa yok veya artık yok.
error-bad-request = Eksik istek
error-bad-request-text = İstekte bir şey eksik veya bir değer kabul edilmiyor.
error-method = İşlem yapılamıyor
error-method-text = Bu işlem bu adreste yapılamaz.
error-unauthorized = Giriş yapmanız gerekiyor
error-unauthorized-text = Bu sayfayı görmek için giriş yapmanız gerekiyor.
error-forbidden = Erişim reddedildi
error-forbidden-text = Hesabınız bu sayfayı görmeye izin vermiyor.
error-conflict = Aynı anda değişiklik
error-conflict-text = Başka biri bu verileri aynı anda değiştirdi.
error-unprocessable = Veriler reddedildi
error-unprocessable-text = Bazı veriler kabul edilmiyor.
error-gone = Artık mevcut değil
error-gone-text = Bu içerik artık mevcut değil.
error-unavailable = Sunucu çok yoğun
error-unavailable-text = Sunucu çok yoğun. Birkaç dakika sonra tekrar deneyin.
error-internal = Sunucu hatası
error-internal-text = Sunucuda bir hata oluştu. Daha sonra tekrar deneyin.
error-code = Hata kodu: { $n }
error-continue = Devam etmek için
error-signin = Giriş yap
error-home = Ana sayfaya dön
error-search = Etkinlik bul
error-directory = Rehbere bak
