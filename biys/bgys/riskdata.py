"""The shipped defaults of the risk register, in Turkish (data, not UI text): the 5 × 5
methodology and short catalogues of threats and vulnerabilities. The data migration loads them;
``services.default_methodology`` recreates the methodology if it was removed."""

METHODOLOGY_NAME = "5 × 5 olasılık ve etki"
METHODOLOGY_DESCRIPTION = "Risk puanı = olasılık × etki (1-25). 8 ve altı kabul edilebilir."
APPETITE = 8
LIKELIHOOD = "Çok düşük\nDüşük\nOrta\nYüksek\nÇok yüksek"
IMPACT = "Önemsiz\nDüşük\nOrta\nCiddi\nÇok ciddi"
THREATS = [
    ("Zararlı yazılım (fidye yazılımı dahil)", "Virüs, solucan, fidye yazılımı bulaşması."),
    ("Oltalama ve sosyal mühendislik", "Kullanıcıların kandırılarak bilgi ya da erişim vermesi."),
    ("Yetkisiz erişim", "Hesapların ya da sistemlerin yetkisiz kişilerce kullanılması."),
    ("Donanım arızası", "Sunucu, disk, ağ cihazı arızası."),
    ("Elektrik kesintisi", "Enerji kesintisi ya da dalgalanması."),
    ("Yangın, su baskını, deprem", "Fiziksel felaketler."),
    ("Hizmet dışı bırakma saldırısı (DoS/DDoS)", "Hizmetin erişilemez kılınması."),
    ("Bilgi sızıntısı", "Kişisel ya da gizli verinin dışarı çıkması."),
    ("Tedarikçi kaynaklı kesinti", "Dış hizmet sağlayıcının hizmet verememesi."),
    ("Kullanıcı hatası", "Yanlış yapılandırma, yanlışlıkla silme."),
]
VULNERABILITIES = [
    ("Güncellenmemiş yazılım", "Güvenlik yamaları uygulanmamış işletim sistemi ya da uygulama."),
    ("Zayıf parola ve çok faktörlü doğrulama eksikliği", ""),
    ("Yedeklerin alınmaması ya da denenmemesi", ""),
    ("Yetersiz erişim yönetimi", "Gereğinden geniş yetkiler, kapatılmayan hesaplar."),
    ("Farkındalık eğitimi eksikliği", ""),
    ("Tek noktadan arıza (yedekliliğin olmaması)", ""),
    ("Kayıtların (log) tutulmaması ya da izlenmemesi", ""),
    ("Fiziksel güvenlik eksikliği", "Sistem odasına kontrolsüz giriş."),
    ("Şifrelenmemiş veri", "Aktarımda ya da depolamada şifreleme yok."),
    ("Sözleşmede gizlilik ve güvenlik hükmü eksikliği", ""),
]
