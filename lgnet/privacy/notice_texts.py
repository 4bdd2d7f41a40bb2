"""The first version of the information notice (art. 13 GDPR), loaded by migration 0002.

Afterwards the texts are data: a city's data-protection officer may revise them. ``{controller}``
becomes "Comune di <city>". Languages: Italian (always printed beside the person's language),
English, French, Arabic (right to left) and Spanish; more can be added as rows.
"""

NOTICES = [
    (
        "it",
        "Italiano",
        False,
        "Informativa sul trattamento dei dati personali (art. 13 GDPR)",
        """Titolare del trattamento: {controller}, che può essere contattato presso lo sportello \
e tramite il suo Responsabile della protezione dei dati (RPD).

Perché trattiamo i suoi dati: per prenderla in carico nel progetto LgNet, offrirle servizi di \
orientamento, accoglienza, formazione e accompagnamento, e per rendicontare il progetto al \
Ministero dell'Interno (FAMI) solo in forma aggregata.

Base giuridica: esecuzione di un compito di interesse pubblico (art. 6.1.e GDPR); per i dati \
sulla salute, la situazione giuridica e le vulnerabilità, motivi di interesse pubblico rilevante \
(art. 9.2.g GDPR, art. 2-sexies Codice privacy).

Chi riceve i dati: gli operatori del Comune incaricati del suo percorso; le organizzazioni \
partner a cui lei viene inviato, solo con il suo consenso e solo per quanto serve; nessun dato \
personale viene inviato al Ministero o alla rete nazionale, che ricevono solo numeri.

Per quanto tempo: per il tempo del suo percorso e poi per i periodi stabiliti dalla rete; \
scaduti, i dati vengono resi anonimi.

I suoi diritti: può chiedere di accedere ai suoi dati e averne copia, di correggerli, di \
limitarne il trattamento, di cancellarli nei limiti di legge, e di opporsi. Il Comune risponde \
entro un mese. Può presentare reclamo al Garante per la protezione dei dati personali \
(www.garanteprivacy.it).""",
    ),
    (
        "en",
        "English",
        False,
        "Information on the processing of personal data (art. 13 GDPR)",
        """Controller: {controller}, which you can contact at the desk and through its Data \
Protection Officer (DPO).

Why we process your data: to take you in charge in the LgNet project, to offer you guidance, \
housing, training and support, and to report on the project to the Ministry of the Interior \
(AMIF) in aggregate form only.

Legal basis: a task carried out in the public interest (art. 6(1)(e) GDPR); for data on health, \
legal status and vulnerabilities, reasons of substantial public interest (art. 9(2)(g) GDPR).

Who receives your data: the municipal staff in charge of your path; the partner organisations \
you are referred to, only with your consent and only what they need; no personal data goes to \
the Ministry or the national network, which receive numbers only.

How long: for the time of your path and then for the periods set by the network; after that, \
your data is made anonymous.

Your rights: you may ask to access your data and get a copy, to correct it, to restrict its \
processing, to erase it where the law allows, and to object. The municipality answers within one \
month. You may complain to the Italian data protection authority, the Garante \
(www.garanteprivacy.it).""",
    ),
    (
        "fr",
        "Français",
        False,
        "Information sur le traitement des données personnelles (art. 13 RGPD)",
        """Responsable du traitement : {controller}, que vous pouvez contacter au guichet et par \
l'intermédiaire de son délégué à la protection des données (DPD).

Pourquoi nous traitons vos données : pour vous prendre en charge dans le projet LgNet, vous \
offrir orientation, hébergement, formation et accompagnement, et rendre compte du projet au \
ministère de l'Intérieur (FAMI) sous forme agrégée uniquement.

Base juridique : mission d'intérêt public (art. 6.1.e RGPD) ; pour les données de santé, de \
situation juridique et de vulnérabilité, motifs d'intérêt public important (art. 9.2.g RGPD).

Qui reçoit vos données : le personnel de la commune chargé de votre parcours ; les organisations \
partenaires vers lesquelles vous êtes orienté, seulement avec votre consentement et seulement ce \
qui est nécessaire ; aucune donnée personnelle n'est transmise au ministère ni au réseau \
national, qui reçoivent seulement des chiffres.

Combien de temps : pendant votre parcours, puis pendant les durées fixées par le réseau ; \
ensuite, vos données sont rendues anonymes.

Vos droits : vous pouvez demander l'accès à vos données et en obtenir une copie, leur \
rectification, la limitation du traitement, leur effacement dans les limites de la loi, et vous \
opposer au traitement. La commune répond dans un délai d'un mois. Vous pouvez porter plainte \
auprès du Garante per la protezione dei dati personali (www.garanteprivacy.it).""",
    ),
    (
        "ar",
        "العربية",
        True,
        "إشعار بشأن معالجة البيانات الشخصية (المادة 13 من اللائحة العامة لحماية البيانات)",
        """المسؤول عن المعالجة: {controller}، ويمكنك التواصل معه في مكتب الاستقبال وعن طريق مسؤول \
حماية البيانات لديه.

لماذا نعالج بياناتك: للتكفل بك في مشروع LgNet، ولنقدم لك التوجيه والسكن والتدريب والمرافقة، \
ولتقديم تقارير عن المشروع إلى وزارة الداخلية بشكل إجمالي فقط.

الأساس القانوني: أداء مهمة للمصلحة العامة (المادة 6-1-هـ)؛ وبالنسبة للبيانات المتعلقة بالصحة \
والوضع القانوني وحالات الضعف، أسباب تتعلق بمصلحة عامة جوهرية (المادة 9-2-ز).

من يتلقى بياناتك: موظفو البلدية المكلفون بمسارك؛ والمنظمات الشريكة التي تُحال إليها، بموافقتك \
فقط وبالقدر اللازم فقط؛ لا تُرسل أي بيانات شخصية إلى الوزارة أو إلى الشبكة الوطنية، فهي تتلقى \
أرقامًا فقط.

مدة الحفظ: طوال مدة مسارك ثم للمدد التي تحددها الشبكة؛ وبعد ذلك تصبح بياناتك مجهولة الهوية.

حقوقك: يمكنك أن تطلب الاطلاع على بياناتك والحصول على نسخة منها، وتصحيحها، وتقييد معالجتها، \
ومحوها في حدود القانون، والاعتراض على معالجتها. ترد البلدية خلال شهر واحد. ويمكنك تقديم شكوى \
إلى هيئة حماية البيانات الإيطالية (www.garanteprivacy.it).""",
    ),
    (
        "es",
        "Español",
        False,
        "Información sobre el tratamiento de datos personales (art. 13 RGPD)",
        """Responsable del tratamiento: {controller}, con quien puede ponerse en contacto en la \
ventanilla y a través de su delegado de protección de datos (DPD).

Por qué tratamos sus datos: para atenderle en el proyecto LgNet, ofrecerle orientación, \
alojamiento, formación y acompañamiento, e informar sobre el proyecto al Ministerio del Interior \
(FAMI) solo de forma agregada.

Base jurídica: cumplimiento de una misión de interés público (art. 6.1.e RGPD); para los datos \
de salud, situación jurídica y vulnerabilidad, razones de interés público esencial (art. 9.2.g \
RGPD).

Quién recibe sus datos: el personal del ayuntamiento encargado de su itinerario; las \
organizaciones colaboradoras a las que se le derive, solo con su consentimiento y solo lo \
necesario; ningún dato personal se envía al Ministerio ni a la red nacional, que solo reciben \
cifras.

Cuánto tiempo: durante su itinerario y después durante los plazos fijados por la red; \
transcurridos, sus datos se anonimizan.

Sus derechos: puede solicitar el acceso a sus datos y una copia, su rectificación, la limitación \
del tratamiento, su supresión en los límites de la ley, y oponerse. El ayuntamiento responde en \
el plazo de un mes. Puede presentar una reclamación ante el Garante per la protezione dei dati \
personali (www.garanteprivacy.it).""",
    ),
]

# The network's starting periods (months); inactive until a network coordinator turns them on.
DEFAULT_POLICIES = [
    ("closed_cases", 120),
    ("no_case", 24),
    ("contact_notes", 24),
    ("attachments", 60),  # files go sooner than the record they belong to
]
