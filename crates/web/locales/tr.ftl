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
