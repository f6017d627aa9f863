"""The shipped pick-lists of the processing inventory (data: the ``0002`` migration loads them
into ``ListItem``, an administrator edits them afterwards). Sources:

- data categories, purposes, data-subject and recipient groups: the lists VERBİS (Veri
  Sorumluları Sicil Bilgi Sistemi) offers in its forms; the special categories are those of
  KVKK md. 6/1;
- legal bases: KVKK md. 5/1-2 and md. 6/2-3 as amended by Law 7499 (12.03.2024);
- technical and administrative measures: the KVKK Board's list in VERBİS, after its Kişisel
  Veri Güvenliği Rehberi (Teknik ve İdari Tedbirler).
"""

DATA_CATEGORIES = [
    ("Kimlik", False),
    ("İletişim", False),
    ("Lokasyon", False),
    ("Özlük", False),
    ("Hukuki İşlem", False),
    ("Müşteri İşlem", False),
    ("Fiziksel Mekan Güvenliği", False),
    ("İşlem Güvenliği", False),
    ("Risk Yönetimi", False),
    ("Finans", False),
    ("Mesleki Deneyim", False),
    ("Pazarlama", False),
    ("Görsel ve İşitsel Kayıtlar", False),
    ("Irk ve Etnik Köken", True),
    ("Siyasi Düşünce", True),
    ("Felsefi İnanç, Din, Mezhep ve Diğer İnançlar", True),
    ("Kılık ve Kıyafet", True),
    ("Dernek Üyeliği", True),
    ("Vakıf Üyeliği", True),
    ("Sendika Üyeliği", True),
    ("Sağlık Bilgileri", True),
    ("Cinsel Hayat", True),
    ("Ceza Mahkûmiyeti ve Güvenlik Tedbirleri", True),
    ("Biyometrik Veri", True),
    ("Genetik Veri", True),
]

PURPOSES = [
    "Acil Durum Yönetimi Süreçlerinin Yürütülmesi",
    "Bilgi Güvenliği Süreçlerinin Yürütülmesi",
    "Çalışan Adaylarının Başvuru Süreçlerinin Yürütülmesi",
    "Çalışanlar İçin İş Akdi ve Mevzuattan Kaynaklı Yükümlülüklerin Yerine Getirilmesi",
    "Denetim / Etik Faaliyetlerinin Yürütülmesi",
    "Eğitim Faaliyetlerinin Yürütülmesi",
    "Erişim Yetkilerinin Yürütülmesi",
    "Faaliyetlerin Mevzuata Uygun Yürütülmesi",
    "Finans ve Muhasebe İşlerinin Yürütülmesi",
    "Fiziksel Mekân Güvenliğinin Temini",
    "Görevlendirme Süreçlerinin Yürütülmesi",
    "Hukuk İşlerinin Takibi ve Yürütülmesi",
    "İç Denetim / Soruşturma / İstihbarat Faaliyetlerinin Yürütülmesi",
    "İletişim Faaliyetlerinin Yürütülmesi",
    "İnsan Kaynakları Süreçlerinin Planlanması",
    "İş Faaliyetlerinin Yürütülmesi / Denetimi",
    "İş Sağlığı / Güvenliği Faaliyetlerinin Yürütülmesi",
    "İş Sürekliliğinin Sağlanması Faaliyetlerinin Yürütülmesi",
    "Mal / Hizmet Satın Alım Süreçlerinin Yürütülmesi",
    "Mal / Hizmet Üretim ve Operasyon Süreçlerinin Yürütülmesi",
    "Organizasyon ve Etkinlik Yönetimi",
    "Performans Değerlendirme Süreçlerinin Yürütülmesi",
    "Risk Yönetimi Süreçlerinin Yürütülmesi",
    "Saklama ve Arşiv Faaliyetlerinin Yürütülmesi",
    "Sözleşme Süreçlerinin Yürütülmesi",
    "Talep / Şikâyetlerin Takibi",
    "Taşınır Mal ve Kaynakların Güvenliğinin Temini",
    "Ücret Politikasının Yürütülmesi",
    "Veri Sorumlusu Operasyonlarının Güvenliğinin Temini",
    "Yetkili Kişi, Kurum ve Kuruluşlara Bilgi Verilmesi",
    "Yönetim Faaliyetlerinin Yürütülmesi",
    "Ziyaretçi Kayıtlarının Oluşturulması ve Takibi",
]

# (code, text, condition of md. 6 for special categories)
LEGAL_BASES = [
    ("5/1", "İlgili kişinin açık rızası", False),
    ("5/2-a", "Kanunlarda açıkça öngörülmesi", False),
    (
        "5/2-b",
        "Fiili imkânsızlık nedeniyle rızasını açıklayamayacak durumda bulunan veya rızasına"
        " hukuki geçerlilik tanınmayan kişinin kendisinin ya da bir başkasının hayatı veya"
        " beden bütünlüğünün korunması için zorunlu olması",
        False,
    ),
    (
        "5/2-c",
        "Bir sözleşmenin kurulması veya ifasıyla doğrudan doğruya ilgili olması kaydıyla,"
        " sözleşmenin taraflarına ait kişisel verilerin işlenmesinin gerekli olması",
        False,
    ),
    (
        "5/2-ç",
        "Veri sorumlusunun hukuki yükümlülüğünü yerine getirebilmesi için zorunlu olması",
        False,
    ),
    ("5/2-d", "İlgili kişinin kendisi tarafından alenileştirilmiş olması", False),
    (
        "5/2-e",
        "Bir hakkın tesisi, kullanılması veya korunması için veri işlemenin zorunlu olması",
        False,
    ),
    (
        "5/2-f",
        "İlgili kişinin temel hak ve özgürlüklerine zarar vermemek kaydıyla, veri sorumlusunun"
        " meşru menfaatleri için veri işlenmesinin zorunlu olması",
        False,
    ),
    ("6/2", "İlgili kişinin açık rızası (özel nitelikli kişisel veri)", True),
    ("6/3-a", "Kanunlarda açıkça öngörülmesi", True),
    (
        "6/3-b",
        "Fiili imkânsızlık nedeniyle rızasını açıklayamayacak durumda bulunan veya rızasına"
        " hukuki geçerlilik tanınmayan kişinin kendisinin ya da bir başkasının hayatı veya"
        " beden bütünlüğünün korunması için zorunlu olması",
        True,
    ),
    (
        "6/3-c",
        "İlgili kişinin alenileştirdiği kişisel verilerle ilgili ve alenileştirme iradesine"
        " uygun olması",
        True,
    ),
    (
        "6/3-ç",
        "Bir hakkın tesisi, kullanılması veya korunması için veri işlemenin zorunlu olması",
        True,
    ),
    (
        "6/3-d",
        "Sır saklama yükümlülüğü altındaki kişiler veya yetkili kurum ve kuruluşlar tarafından"
        " kamu sağlığının korunması, koruyucu hekimlik, tıbbi teşhis, tedavi ve bakım"
        " hizmetlerinin yürütülmesi ile sağlık hizmetleri ile finansmanının planlanması ve"
        " yönetimi amacıyla zorunlu olması",
        True,
    ),
    (
        "6/3-e",
        "İstihdam, iş sağlığı ve güvenliği, sosyal güvenlik, sosyal hizmetler ve sosyal yardım"
        " alanlarındaki hukuki yükümlülüklerin yerine getirilmesi için zorunlu olması",
        True,
    ),
    (
        "6/3-f",
        "Siyasi, felsefi, dini veya sendikal amaçlarla kurulan vakıf, dernek ve diğer kâr amacı"
        " gütmeyen kuruluş ya da oluşumların, tabi oldukları mevzuata ve amaçlarına uygun"
        " olmak, faaliyet alanlarıyla sınırlı olmak ve üçüncü kişilere açıklanmamak kaydıyla;"
        " mevcut veya eski üyelerine ve mensuplarına veya düzenli temasta bulunan kişilere"
        " yönelik olması",
        True,
    ),
]

SUBJECT_GROUPS = [
    "Çalışan",
    "Çalışan Adayı",
    "Stajyer",
    "Ürün veya Hizmet Alan Kişi (vatandaş, hemşehri)",
    "Başvuru Sahibi",
    "Sosyal Yardım Alan Kişi",
    "Tedarikçi Yetkilisi",
    "Tedarikçi Çalışanı",
    "Ziyaretçi",
    "Veli / Vasi / Temsilci",
    "Meclis Üyesi",
]

RECIPIENT_GROUPS = [
    "Yetkili Kamu Kurum ve Kuruluşları",
    "Gerçek Kişiler veya Özel Hukuk Tüzel Kişileri",
    "Tedarikçiler",
    "İş Ortakları",
    "Hukuken Yetkili Özel Hukuk Kişileri",
]

TECHNICAL_MEASURES = [
    "Ağ güvenliği ve uygulama güvenliği sağlanmaktadır",
    "Ağ yoluyla kişisel veri aktarımlarında kapalı sistem ağ kullanılmaktadır",
    "Anahtar yönetimi uygulanmaktadır",
    "Bilgi teknolojileri sistemleri tedarik, geliştirme ve bakımı kapsamındaki güvenlik"
    " önlemleri alınmaktadır",
    "Bulutta depolanan kişisel verilerin güvenliği sağlanmaktadır",
    "Erişim logları düzenli olarak tutulmaktadır",
    "Güncel anti-virüs sistemleri kullanılmaktadır",
    "Güvenlik duvarları kullanılmaktadır",
    "Kişisel veri içeren fiziksel ortamlara giriş çıkışlarla ilgili gerekli güvenlik önlemleri"
    " alınmaktadır",
    "Kişisel veriler yedeklenmekte ve yedeklenen kişisel verilerin güvenliği de sağlanmaktadır",
    "Kullanıcı hesap yönetimi ve yetki kontrol sistemi uygulanmakta olup bunların takibi de"
    " yapılmaktadır",
    "Log kayıtları kullanıcı müdahalesi olmayacak şekilde tutulmaktadır",
    "Saldırı tespit ve önleme sistemleri kullanılmaktadır",
    "Sızma testi uygulanmaktadır",
    "Siber güvenlik önlemleri alınmış olup uygulanması sürekli takip edilmektedir",
    "Şifreleme yapılmaktadır",
    "Taşınabilir bellek, CD, DVD ortamında aktarılan kişisel veriler şifrelenerek aktarılmaktadır",
    "Veri kaybı önleme yazılımları kullanılmaktadır",
    "Veri maskeleme önlemi uygulanmaktadır",
]

ADMINISTRATIVE_MEASURES = [
    "Çalışanlar için veri güvenliği hükümleri içeren disiplin düzenlemeleri mevcuttur",
    "Çalışanlar için veri güvenliği konusunda belli aralıklarla eğitim ve farkındalık"
    " çalışmaları yapılmaktadır",
    "Çalışanlar için yetki matrisi oluşturulmuştur",
    "Erişim, bilgi güvenliği, kullanım, saklama ve imha konularında kurumsal politikalar"
    " hazırlanmış ve uygulamaya başlanmıştır",
    "Gizlilik taahhütnameleri yapılmaktadır",
    "Görev değişikliği olan ya da işten ayrılan çalışanların bu alandaki yetkileri"
    " kaldırılmaktadır",
    "İmzalanan sözleşmeler veri güvenliği hükümleri içermektedir",
    "Kişisel veri güvenliği politika ve prosedürleri belirlenmiştir",
    "Kişisel veri güvenliği sorunları hızlı bir şekilde raporlanmaktadır",
    "Kişisel veri içeren fiziksel ortamların dış risklere (yangın, sel vb.) karşı güvenliği"
    " sağlanmaktadır",
    "Kişisel veriler mümkün olduğunca azaltılmaktadır",
    "Kurum içi periyodik ve/veya rastgele denetimler yapılmakta ve yaptırılmaktadır",
    "Mevcut risk ve tehditler belirlenmiştir",
    "Özel nitelikli kişisel veri güvenliğine yönelik protokol ve prosedürler belirlenmiş ve"
    " uygulanmaktadır",
    "Veri işleyen hizmet sağlayıcılarının veri güvenliği konusunda periyodik olarak denetimi"
    " sağlanmaktadır",
    "Veri işleyen hizmet sağlayıcılarının veri güvenliği konusunda farkındalığı sağlanmaktadır",
]


def shipped_items() -> list[dict]:
    """Every shipped entry as ``ListItem`` field values, in list order."""
    items = []
    for position, (name, special) in enumerate(DATA_CATEGORIES, start=1):
        items.append({"kind": "data_category", "name": name, "special": special,
                      "position": position})  # fmt: skip
    for position, (code, name, special) in enumerate(LEGAL_BASES, start=1):
        items.append({"kind": "legal_basis", "code": code, "name": name, "special": special,
                      "position": position})  # fmt: skip
    for kind, names in (
        ("purpose", PURPOSES),
        ("subject_group", SUBJECT_GROUPS),
        ("recipient_group", RECIPIENT_GROUPS),
        ("technical_measure", TECHNICAL_MEASURES),
        ("administrative_measure", ADMINISTRATIVE_MEASURES),
    ):
        for position, name in enumerate(names, start=1):
            items.append({"kind": kind, "name": name, "position": position})
    return items


def load_shipped(list_item_model) -> int:
    """Create the shipped entries that are missing (by list, code and name); the migration's and a
    transactional test's way to have them."""
    created = 0
    for values in shipped_items():
        _item, new = list_item_model.objects.get_or_create(
            kind=values["kind"], code=values.get("code", ""), name=values["name"], defaults=values
        )
        created += new
    return created
