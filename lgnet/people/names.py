"""Synthetic person records and their true duplicates, labelled by identity.

Used by the demo seed and by the de-duplication benchmark. Everything here is pure Python
and deterministic given a ``random.Random``: the same seed (and the same ``today``) gives the
same records in any process, whatever ``PYTHONHASHSEED`` is.

* ``person`` draws one plausible person for a nationality of the mix Italian urban inclusion
  projects serve: names from the origin's pools, sex, birth date and how precisely it is
  known, nationality, languages, sometimes the name in its original script.
* ``variant`` writes the same person again as a second operator would have typed it:
  another transliteration, accents lost, particles joined or split, doubled letters, names
  swapped, compound names shortened, typos, a coarser or swapped birth date, all caps.
* ``population`` makes ``n`` originals (entities ``0..n-1``) and appends true duplicates.

``NAME_VARIANTS`` maps a canonical spelling to the other spellings of the same name met in
registries; the benchmark can use it as ground truth for transliteration. The name pools are
illustrative: common names of each origin, not statistics.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, replace

__all__ = ["NAME_VARIANTS", "NATIONALITY_MIX", "Record", "person", "population", "variant"]


@dataclass
class Record:
    given_names: str
    family_names: str
    sex: str  # "F", "M"; rarely "U"
    birth_date: datetime.date
    birth_date_precision: str  # "day", "month", "year", "estimated"
    nationalities: list[str]  # ISO 3166 alpha-2
    languages: list[str]  # ISO 639-1
    original_script_name: str = ""
    codice_fiscale: str = ""
    entity: int = 0  # the true identity: a duplicate carries its original's entity


# ISO 3166 alpha-2 -> share of the people taken in charge (illustrative, sums to 1).
NATIONALITY_MIX: dict[str, float] = {
    # West Africa
    "NG": 0.09,
    "GM": 0.05,
    "ML": 0.05,
    "SN": 0.05,
    "GN": 0.06,
    "CI": 0.06,
    "GH": 0.03,
    # Horn and East Africa
    "ER": 0.04,
    "ET": 0.02,
    "SO": 0.04,
    "SD": 0.03,
    # North Africa and the Levant
    "MA": 0.06,
    "TN": 0.07,
    "EG": 0.06,
    "DZ": 0.02,
    "SY": 0.02,
    # South and Central Asia
    "PK": 0.06,
    "BD": 0.06,
    "AF": 0.03,
    # Eastern Europe and the Caucasus
    "UA": 0.04,
    "GE": 0.02,
    "AL": 0.03,
    # Latin America
    "PE": 0.01,
}


# --- parsing of the compact tables below -------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    """Comma- or newline-separated names; a name may hold spaces ("El Amrani")."""
    return tuple(n.strip() for n in text.replace("\n", ",").split(",") if n.strip())


def _classes(text: str) -> dict[str, list[str]]:
    """One class a line: "Canonical: variant, variant" (common spellings first)."""
    out: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        key, _, rest = line.partition(":")
        out[key.strip()] = list(_names(rest))
    return out


def _script(text: str) -> dict[str, str]:
    """Entries "Latin=original script", separated by commas or newlines."""
    out: dict[str, str] = {}
    for entry in _names(text):
        latin, _, original = entry.partition("=")
        out[latin.strip()] = original.strip()
    return out


# --- spellings of the same name ----------------------------------------------------------

NAME_VARIANTS: dict[str, list[str]] = _classes(
    """
Mohamed: Mohammed, Muhammad, Mohamad, Mohammad, Muhammed, Mouhamed, Muhamed, Mohamet, Md, Maxamed
Ahmed: Ahmad, Ahmet, Ahamed, Axmed
Amadou: Amadu, Ahmadou, Hamadou
Mahmoud: Mahmud, Mohamud, Mohamoud, Mahmood, Mehmood, Mahamoud, Mahamud
Mustafa: Mostafa, Mustapha, Moustapha, Mostapha, Moustafa, Mustafe
Youssef: Yusuf, Youssouf, Yussuf, Yousef, Yousif, Yusef, Yousuf, Yousaf, Yusupha
Abdoulaye: Abdullahi, Abdallah, Abdullah, Abdalla, Abdellah, Abdoulie, Abdulai, Cabdullaahi
Ousmane: Osman, Usman, Ousman, Othmane, Othman, Uthman, Osmane, Cismaan
Mamadou: Mamadu, Momodou
Modou: Moudou, Modu
Ibrahima: Ibrahim, Brahim, Ebrima, Ebrahim, Ibraheem, Ibrahime
Seydou: Saidou, Seidou, Saidu, Seidu
Said: Saeed, Saïd, Saaid
Sayed: Sayyid, Sayyed, Seyed
Moussa: Musa, Mussa, Mousa
Souleymane: Suleiman, Sulayman, Sulaiman, Soliman, Slimane, Suleyman, Souleimane
Boubacar: Aboubacar, Abubakar, Babacar, Babucarr, Baboucarr, Bubacarr, Boubakar, Abu Bakr
Alassane: Alhassane, Alhassan, Alasan
Cheikh: Sheikh, Cheick, Shaikh, Cheik, Sheik
Lamine: Lamin, Al Amin, Alamin
Amine: Amin, Ameen, Emin
Bakary: Bakari, Backary
Sekou: Sékou, Saikou, Seku
Aliou: Alieu, Aliyu, Aliu
Omar: Oumar, Umar, Omer, Oumarou, Cumar
Idris: Idrissa, Idriss, Drissa, Driss, Idrees, Edris
Issa: Isa, Eissa
Adam: Adem, Aadam
Karim: Kareem, Kerim
Yacoub: Yacouba, Yaqub, Yakubu, Yagoub, Yacub, Yakub
Thierno: Tierno, Cerno
Saliou: Saliu, Salihou
Ismail: Ismaila, Ismael, Ismaël, Smail, Esmail, Ismaeel
Malick: Malik, Malek
Daouda: Dawda, Daoud, Dawood, Dawud, Daud
Habib: Habibou, Habeeb
Papa: Pape, Pa
Khalil: Kalilou, Khalilou, Kalilu, Khaleel
Tidiane: Tidjane, Tijane, Tijani, Tidjani
Lassana: Lansana, Lassina, Lancine, Lansine, Lasana
Fode: Fodé, Fodeh
Mamady: Mamadi, Mamadie
Mory: Mori
Salif: Salifou, Salifu
Hamidou: Amidou, Hamidu
Ousseynou: Ousainou, Ousainu, Usainu
El Hadji: Elhadji, Alagie, Alhaji, Alhagie, El Hadj
Abdoul Karim: Abdoulkarim, Abdul Karim, Abdulkarim, Abdelkarim, Abdel Karim, Abdikarim
Abdel Rahman: Abdelrahman, Abdul Rahman, Abdulrahman, Abderrahmane, Abdourahmane, Abdirahman
Abdelaziz: Abdel Aziz, Abdulaziz, Abdul Aziz, Abdiaziz
Abdelkader: Abdel Kader, Abdulkadir, Abdul Qadir, Abdelkadir, Abdelgadir, Abdikadir
Abderrahim: Abdelrahim, Abdel Rahim, Abdul Rahim, Abdirahim
Abdelhamid: Abdel Hamid, Abdul Hamid, Abdulhamid
Abdelfattah: Abdel Fattah, Abdul Fattah, Abdelfatah
Abdessalam: Abdel Salam, Abdelsalam, Abdul Salam, Abdisalam, Abdisalaam
Abdelnasser: Abdel Nasser, Abdinasir, Abdul Nasir
Abdi: Cabdi, Abdy
Hassan: Hasan, Hassen, Hassane, Xasan
Hussein: Hussain, Husain, Hossain, Hossein, Husein, Houssein, Hussien, Hossen, Xuseen, Houcine
Hosseini: Husseini, Hussaini, Hoseini, Husaini
Ali: Aly, Cali
Khaled: Khalid, Khaleed
Rachid: Rashid, Rasheed, Rachide, Rashed
Yassine: Yasin, Yassin, Yaseen, Yacine
Ayoub: Ayub, Ayoob
Hamza: Hamze, Hamse, Hamzah
Mehdi: Mahdi, Mehdy
Hicham: Hisham, Hesham, Hichem
Soufiane: Sofiane, Sufyan, Soufyane, Sofian
Zakaria: Zakariya, Zakariae, Zakarya
Walid: Waleed, Oualid
Mourad: Murad, Morad
Samir: Sameer, Semir
Nabil: Nabeel
Tarek: Tarik, Tariq, Tareq, Tarig
Sherif: Cherif, Chérif, Sharif, Shareef, Sheriff
Jamal: Jamel, Djamel, Gamal, Jemal
Younes: Yunus, Younis, Yunis, Younous
Anwar: Anouar, Anwer, Anowar
Noureddine: Nour Eddine, Nourdine, Nouredine, Nureddin, Nuruddin
Redouane: Ridwan, Redwan, Radwan, Rizwan
Larbi: Laarbi, El Arbi, Elarbi
Mounir: Munir, Monir
Fouad: Fuad, Foad
Ilyas: Ilias, Elias, Elyas, Ilyass, Ilyes
Badr: Bader, Badre, Badar
Hamid: Hamed, Hameed
Ammar: Amar, Ammer
Osama: Oussama, Usama, Ousama
Emad: Imad, Imed
Ziad: Ziyad, Zied
Seif: Saif, Sayf
Ayman: Aymen, Aiman
Ehab: Ihab, Iheb
Hossam: Houssem, Husam, Hussam
Mohanad: Muhannad, Mohannad
Motasim: Mutasim, Moutasim, Moatasem
Salih: Saleh, Saalih
Ishaq: Ishag, Ishak, Ishaque
Yahya: Yahia, Yehia, Yahiya, Yaya
Haroun: Harun, Haroon, Haruna
Bashir: Bechir, Béchir, Bachir, Basheer, Bashiru
Babiker: Babikir, Babeker
Abakar: Abbakar, Abaker
Omid: Omeed, Umid
Reza: Rida, Ridha, Riza
Massoud: Masoud, Masud, Masood, Messaoud
Najib: Najeeb, Nagib, Naguib
Qasim: Kassem, Qassim, Kasim, Gasim, Kacem
Jawad: Javad, Djawad
Ghulam: Gholam, Golam, Gulam
Noor: Nour, Nur
Rahmatullah: Rahmatulla, Rehmatullah, Rahmat Ullah
Hekmatullah: Hikmatullah, Hekmatulla
Zabihullah: Zabiullah, Zabihollah
Naqibullah: Naqeebullah, Nakibullah
Asadullah: Asadulla, Asad Ullah
Ehsan: Ihsan, Ehsaan
Farid: Fareed
Wahid: Waheed, Ouahid
Shafiq: Shafique, Shafik, Chafik
Rahim: Raheem
Nasir: Nasser, Naser, Nacer, Nassir
Jamshid: Jamshed
Mirwais: Mirwaiz, Mir Wais
Imran: Emran, Imraan
Bilal: Billal, Belal
Asif: Aasif, Asaf
Shahid: Shaheed
Zubair: Zubayr, Zoubeir, Zubeir
Waqas: Waqqas, Wakas
Naveed: Navid, Naved, Nawid
Faisal: Fayçal, Faycal, Faysal, Faical
Irfan: Erfan
Arshad: Arshed
Javed: Javaid, Javid, Jawed
Zahid: Zahed
Junaid: Junayd, Junaed
Shahzad: Shehzad
Nadeem: Nadim, Nedim
Asad: Assad, Asaad
Yasir: Yasser, Yaser, Yassir
Atif: Atef, Aatif
Aamir: Amir, Ameer, Amer, Aamer
Sohail: Suhail, Sohel, Souhail
Waseem: Wasim, Wassim
Ijaz: Ejaz, Aijaz
Mudassar: Mudassir
Rafiqul: Rafikul, Rofiqul
Shahidul: Shohidul, Sahidul
Habibur: Hobibur
Ashraful: Asraful
Saiful: Shaiful
Rezaul: Rejaul
Nazrul: Nozrul
Jahangir: Jahangeer
Kamal: Kamel, Kemal
Rasel: Russel, Russell, Rasal
Shakil: Shakeel, Sakil
Sumon: Shumon, Suman
Mamun: Al Mamun, Mamoon
Farouk: Faruk, Farooq, Faruque
Alamgir: Alomgir
Delwar: Delowar, Dilwar
Emon: Imon
Jewel: Juwel
Kawsar: Kausar, Kawser, Kowsar
Liton: Litton
Rakib: Raqib
Sabbir: Shabbir, Sabir
Shamim: Shameem
Tanvir: Tanveer, Tanbir
Arif: Aarif, Aref
Emmanuel: Amanuel, Emanuel, Immanuel, Amaniel
Godwin: Godwyn
Osagie: Osaghie
Chukwuemeka: Chukwuemeke, Chukuemeka
Chinedu: Chinedum
Ikechukwu: Ikechuckwu
Obinna: Obina
Oluwaseun: Oluseun
Godspower: Godpower
Goodluck: Good Luck
Samuel: Samwel
Joseph: Josef
Victor: Viktor
Michael: Mikael, Mikiel, Mickael
Stephen: Steven
Ebenezer: Ebenezar
Kwame: Kouame, Kouamé
Kofi: Koffi
Kwabena: Kobina, Kwabina
Kouadio: Kwadwo, Kouadjo
Kojo: Kodjo
Kouassi: Kwasi, Kwesi
Yao: Yaw
Fuseini: Fuseni
Yonas: Jonas
Yohannes: Yohanes, Johannes, Yohannis
Tesfaye: Tesfay, Tesfai
Berhane: Birhane, Berhan, Brhane
Mehari: Meharie, Mehary
Merhawi: Merhawie
Filmon: Filimon, Philemon
Semere: Semre
Robel: Robiel
Henok: Enoch, Henock
Natnael: Nathanael, Natanael
Kidane: Kidanie
Mebrahtu: Mebrahtom, Mebrehtu
Habtom: Habtum
Teklay: Teklai
Aron: Aaron
Biniam: Biniyam, Binyam, Beniam
Mussie: Musie
Abraham: Abrham, Abreham
Solomon: Selomon, Salomon
Efrem: Ephrem, Efrim
Fitsum: Fitsom
Tewelde: Tewolde
Yemane: Yemani
Ghirmay: Girmay, Ghirmai, Girmai
Kibrom: Kbrom
Getachew: Getacho
Eyob: Iyob
Ermias: Ermyas
Tsegaye: Tsegay, Tsegai
Isaias: Isayas, Esayas
Goitom: Goytom
Medhanie: Medhane
Nahom: Nahum
Kaleab: Kaleb, Caleb
Senait: Sennait, Senayt
Helen: Hellen, Hélène
Luwam: Luam, Lwam
Rahel: Rachel, Rahil
Hiwet: Hiwot
Yordanos: Jordanos
Tigist: Tegist
Bethlehem: Betelhem, Betlehem
Mahlet: Mahelet
Feven: Fiven
Ruth: Rut
Freweyni: Freweini, Frewoini
Abrehet: Abrhet
Tsehay: Tsehai, Tsahay
Azeb: Azieb
Hanna: Hana, Hannah
Mekdes: Meqdes
Lidya: Lydia, Lidia
Sara: Sarah, Sarra
Tirhas: Trhas
Genet: Ghenet
Kidist: Qidist
Yohana: Yohanna, Johanna
Ariam: Aryam
Helina: Helena
Haile: Hailé
Gebremedhin: Ghebremedhin, Gebre Medhin, Ghebre Medhin, Gebremedihn
Gebremariam: Ghebremariam, Gebre Mariam, Gebremaryam
Gebreyesus: Ghebreyesus, Gebre Yesus
Tekle: Tecle, Teklé
Woldemichael: Weldemichael, Wolde Michael, Woldemikael, Weldemikael
Asfaha: Asfeha
Mengistu: Mengestu
Girma: Ghirma
Tadesse: Tadese, Taddese
Bekele: Bekelle
Ghebreab: Gebreab
Negash: Negassi, Negasi
Abraha: Abreha, Abrha
Andemariam: Ande Mariam
Ghebrehiwet: Gebrehiwet, Gebre Hiwet, Gebrehiwot
Fesehaye: Fsehaye, Fissehaye, Fisehaye
Okbay: Okubay, Ukubay
Teklemariam: Tekle Mariam, Teclemariam
Weldu: Woldu
Kahsay: Kahsai
Gebru: Ghebru
Assefa: Asefa
Shiferaw: Shiferew
Worku: Werku
Lemma: Lema
Zerai: Zeray, Zerei
Habtemariam: Habte Mariam
Tefera: Teferra
Demissie: Demisse
Mekonnen: Mekonen, Makonnen
Tesema: Tessema
Farah: Faarax, Farrah
Mukhtar: Mokhtar, Moukhtar
Liban: Libaan
Guled: Guleid, Guuleed
Abdiwali: Abdi Wali, Cabdiwali
Dahir: Daahir, Tahir, Taher
Jama: Jamac, Jaamac
Warsame: Warsama
Aden: Aadan, Adan
Hirsi: Hersi, Xirsi
Egal: Cigaal
Duale: Dualeh
Elmi: Cilmi
Isse: Ciise
Barre: Bare
Musse: Muuse, Muse
Diallo: Dialo, Jallow, Djalo, Jalloh, Diallow, Djallo
Toure: Touré, Ture, Touray, Turay
Traore: Traoré, Trawally, Tarawally, Tarawalli
Camara: Kamara, Kamarah
Keita: Keïta, Keyta
Ndiaye: N'Diaye, Njie, Njai
Sow: Sowe
Bah: Ba
Barry: Barrie, Bari
Balde: Baldé, Baldeh
Conde: Condé, Konde
Cisse: Cissé, Ceesay, Sise
Sylla: Sillah, Silla
Coulibaly: Koulibaly, Kulibaly, Coulibali
Kone: Koné, Konneh
Konate: Konaté
Diarra: Diara
Sissoko: Cissoko, Cissokho, Sissokho
Dembele: Dembélé
Sangare: Sangaré
Doumbia: Dumbia, Doumbiya
Doumbouya: Dumbuya
Diakite: Diakité, Jakite, Diakhaté
Sidibe: Sidibé
Maiga: Maïga
Samake: Samaké
Tounkara: Tunkara
Dicko: Diko
Kante: Kanté, Kanteh
Conte: Conté, Conteh
Diop: Jobe
Fall: Faal
Gueye: Guèye, Gaye
Seck: Secka
Mbaye: M'Baye
Thiam: Cham
Ndoye: N'Doye
Mbengue: M'Bengue
Sy: Sey
Diatta: Jatta
Sane: Sané, Sanneh
Mane: Mané, Manneh
Drame: Dramé, Drammeh
Diawara: Jawara
Badji: Badjie
Diaite: Diaité, Jaiteh
Soumah: Souma, Sumah
Bangoura: Bangura
Sacko: Sako, Sakho
Kouyate: Kouyaté, Kuyateh
Ouattara: Wattara, Ouatara
Diabate: Diabaté, Jobarteh
N'Guessan: Nguessan, N Guessan
Silue: Silué
Diomande: Diomandé
Fofana: Fofanah
Fatoumata: Fatimata, Fatima, Fatma, Fatoumatta, Fatumata, Fatema, Fatimah, Fadumo, Faduma
Aissatou: Aïssatou, Isatou, Aissata, Aysatu, Aysatou
Aicha: Aisha, Ayesha, Aïcha, Aysha, Asha, Caasha
Mariam: Mariama, Maryam, Meryem, Meriem, Maryan, Mariame, Myriam
Khadija: Kadiatou, Kadidia, Khadidja, Kadija, Khadijah, Kaddijatou, Khadidiatou
Zainab: Zeinab, Zineb, Zaynab, Jainaba, Dieynaba, Seynabou, Sainabou, Zeinabou
Hawa: Awa, Hauwa, Haoua, Xawa
Ramatoulaye: Ramatoulie, Ramata, Ramatu
Khady: Kaddy, Kady
Binta: Bintou, Bintu
Ndeye: Ndey, N'Deye, Ndèye
Coumba: Kumba, Koumba
Haja: Hadja, Adja, Hajja
Oumou: Umu, Ummu
Oumy: Oumie
Djeneba: Dieneba, Jeneba, Djénéba
Rokia: Rokeya, Rokhaya, Ruqayya, Roukaya
Safiya: Safia, Safiatou, Saffie, Safiyo
Nafissatou: Nafissa, Nafisa
Maimouna: Maïmouna, Maimuna
Salimata: Salamata, Salimatou
Fatou: Fatu
Haddy: Hady
Aminata: Aminatou, Aminatta, Aminatu
Amina: Aminah, Ameena
Halima: Halimo, Halimah, Halimatou
Zahra: Sahra, Zohra, Zahraa
Souad: Suad, Sucaad
Leila: Layla, Laila, Leyla, Leïla
Mona: Mouna, Muna
Naima: Naïma, Naeema
Hafsa: Hafsah, Hafso
Samira: Sameera, Semira
Sadia: Saadia, Sadiya
Fowsiya: Fawzia, Fawziya, Fowzia
Sabrine: Sabrin, Sabreen
Ikram: Ikran, Ikraan
Nimco: Nimo
Ubah: Ubax
Deeqa: Deqa
Hodan: Hodaan
Zamzam: Samsam
Asma: Asmae, Asmaa, Esma
Hanane: Hanan
Imane: Iman, Eman, Eiman
Sanaa: Sana
Houda: Huda, Hoda
Yasmine: Yasmin, Jasmin, Jesmin, Jasmine
Rim: Reem, Rima
Amel: Amal
Noha: Nuha
Heba: Hiba
Esraa: Israa, Isra
Salma: Selma
Nasrin: Nasreen, Nesrine
Shirin: Shireen, Sherine, Chirine
Sumaiya: Sumaya, Soumaya, Sumayyah
Parvin: Parveen, Perveen
Farzana: Farzaneh
Tania: Taniya, Tanya
Nazma: Najma
Rehana: Raihana, Rayhana
Hasina: Hassina
Rahima: Raheema
Ayesha Siddika: Ayesha Siddiqa
Islam: Eslam
Rahman: Rehman, Rahaman, Rahmane, Rohman
Uddin: Udin, Uddeen
Miah: Mia, Miya
Khan: Kahn
Chowdhury: Choudhury, Chowdhuri, Chaudhry, Chaudhary, Choudhry, Chowdury
Sarker: Sarkar, Sircar
Akter: Akhter, Aktar, Akhtar
Begum: Begom
Khatun: Khatoon, Khatoun
Alam: Alom
Haque: Hoque, Haq, Huq
Kabir: Kabeer, Kebir
Mollah: Molla, Mullah
Sikder: Shikder, Sikdar
Talukder: Talukdar
Bhuiyan: Bhuiya, Bhuyan
Mondal: Mandal, Mondol
Biswas: Bishwas
Howlader: Hawlader
Majumder: Mazumder, Majumdar
Iqbal: Ikbal, Eqbal
Qureshi: Qurashi, Kureshi
Abbasi: Abassi
Mirza: Merza
Siddiqui: Siddiqi, Siddique
Nawaz: Navaz
Bhatti: Bhati
Jutt: Jatt
Mughal: Moghal
Rafiq: Rafique, Rafik, Rafeeq
Riaz: Riyaz, Riad, Riyad
Zafar: Zaffar, Zafer
Ashraf: Achraf
El Amrani: Elamrani, Al-Amrani, Amrani
El Idrissi: Elidrissi, Idrissi
El Alami: Elalami, Alami
El Fassi: Elfassi, Fassi
El Mansouri: Elmansouri, Mansouri, Al Mansouri
El Khatib: Elkhatib, Al-Khatib, Khatib
El Moussaoui: Elmoussaoui, Moussaoui
El Ghazi: Elghazi, Ghazi
El Sayed: Elsayed, Al-Sayed
El Masry: Elmasry, Al-Masri, Masri
Ben Ali: Benali
Ben Salah: Bensalah
Ben Youssef: Benyoussef
Ben Amor: Benamor
Ben Hassen: Benhassen
Bouzid: Bouzide
Alaoui: Alaui
Cherkaoui: Cherqaoui
Chraibi: Chraïbi
Trabelsi: Tarabulsi
Hammami: Hamami
Jebali: Jbali
Mejri: Majri
Ayari: Aiari
Jaziri: Djaziri
Khelifi: Khalifi
Hamdi: Hamdy
Jlassi: Jelassi
Slimani: Sliman
Belkacem: Belgacem
Brahimi: Ibrahimi
Meziane: Mezian
Kaci: Kaaci
Morsi: Morsy, Mursi
Fawzy: Fawzi, Fauzi
Hegazy: Hegazi, Higazi
Fahmy: Fahmi
Helmy: Helmi
Fathy: Fathi
Shehata: Chehata
Gomaa: Gomaa'a, Jumaa
Ramadan: Ramadhan, Ramazan
Tawfik: Tawfiq, Toufik
Zaki: Zaky
Elamin: El Amin
Elhassan: El Hassan, Al-Hassan
Eltayeb: El Tayeb, Al-Tayeb
Elsheikh: El Sheikh, Al-Sheikh
Elnour: El Nour, Al-Nour
Darwish: Darwich, Derwich
Najjar: Nadjar, Al-Najjar
Haddad: Hadad
Oleksandr: Aleksandr, Alexander, Olexandr, Oleksander, Aleksandre, Alexandre
Andriy: Andrii, Andrij, Andrey, Andrei
Serhiy: Serhii, Sergii, Sergey, Sergiy
Dmytro: Dmitro, Dmitry, Dmitriy
Mykola: Mikola, Nikolai, Nikolay
Vitaliy: Vitalii, Vitaly
Yuriy: Yurii, Iurii, Yuri, Jurij
Volodymyr: Volodimir, Vladimir, Vladimer
Maksym: Maksim, Maxim
Oleh: Oleg
Bohdan: Bogdan
Denys: Denis
Vasyl: Vasil, Vasiliy
Petro: Petr, Pyotr
Mykhailo: Mykhaylo, Mikhail, Mikheil, Michailo
Yevhen: Ievgen, Yevgeniy, Evgeny, Evgen
Ihor: Igor
Vadym: Vadim
Anatoliy: Anatolii
Vladyslav: Vladislav, Wladyslaw
Kostiantyn: Kostyantyn, Konstantin
Illia: Illya, Ilya
Oleksiy: Oleksii, Aleksey, Alexey
Valeriy: Valerii
Hryhoriy: Hryhorii, Grigoriy, Grigory
Borys: Boris
Danylo: Danilo
Kyrylo: Kirill, Kyrilo
Nataliia: Natalia, Nataliya, Natalya
Tetiana: Tetyana, Tatiana, Tatyana
Iryna: Irina
Yuliia: Yulia, Iuliia, Julia
Olha: Olga
Svitlana: Svetlana
Mariia: Maria, Mariya, María
Anna: Ana
Kateryna: Katerina, Ekaterina, Ekaterine
Liudmyla: Lyudmyla, Lyudmila, Ludmila
Viktoriia: Viktoriya, Victoria, Viktoria
Halyna: Galina, Halina
Anastasiia: Anastasia, Anastasiya
Sofiia: Sofia, Sofiya
Valentyna: Valentina
Nadiia: Nadiya, Nadia
Larysa: Larisa
Khrystyna: Khristina, Krystyna, Christina
Oleksandra: Aleksandra, Alexandra
Liubov: Lyubov
Solomiia: Solomiya
Uliana: Ulyana
Olena: Elena, Elene, Yelena
Tamara: Tamar, Tamari
Shevchenko: Chevtchenko, Ševčenko, Schewtschenko
Kovalenko: Kowalenko
Tkachenko: Tkatchenko, Tkačenko
Kravchenko: Kravtchenko, Kravčenko
Melnyk: Melnik
Boiko: Boyko, Bojko
Oliinyk: Oliynyk, Oleinik, Olijnyk
Polishchuk: Polischuk
Lysenko: Lisenko
Savchenko: Savtchenko
Kovalchuk: Kovaltchuk, Kowalczuk
Kravchuk: Kravtchouk, Kravčuk
Tkachuk: Tkatchuk
Havryliuk: Havrylyuk, Gavrilyuk
Klymenko: Klimenko
Levchenko: Levtchenko
Vasylenko: Vasilenko
Sydorenko: Sidorenko
Hrytsenko: Grytsenko, Gritsenko
Zinchenko: Zintchenko
Pylypenko: Pilipenko
Giorgi: Georgi, George, Georgiy
Davit: David
Levan: Levani
Irakli: Irakly
Zurab: Zurabi
Vakhtang: Vakhtangi
Temur: Timur, Temuri
Avtandil: Avtandili
Ketevan: Ketevani
Khatia: Khatiya
Maia: Maya, Maja
Salome: Salomé
Sopho: Sopo, Sofo
Gelashvili: Gelaschwili
Tsiklauri: Ciklauri
Kvaratskhelia: Kvaratskheliya
Javakhishvili: Dzhavakhishvili
Japaridze: Dzhaparidze, Djaparidze
Chkheidze: Tchkheidze
Shengelia: Shengeliya
Gezim: Gëzim
Perparim: Përparim
Cela: Çela
Muca: Muça
Hoxha: Hoxhaj, Hoxa
Berisha: Berishaj
Gjoka: Gjokaj
Gashi: Gashaj
Krasniqi: Krasniqaj
Kola: Kolaj
Leka: Lekaj
Xhafa: Xhafaj
Jose: José
Jesus: Jesús
Angel: Ángel
Cesar: César
Raul: Raúl
Lucia: Lucía
Veronica: Verónica
Sanchez: Sánchez
Rodriguez: Rodríguez
Garcia: García
Huaman: Huamán, Guaman
Chavez: Chávez, Chaves
Vasquez: Vásquez, Vázquez
Ramirez: Ramírez
Diaz: Díaz
Gutierrez: Gutiérrez
Perez: Pérez
Lopez: López
Gonzales: González, Gonzalez
"""
)


# --- name pools by origin ----------------------------------------------------------------

_WA_MALE = _names("""
Mamadou, Ousmane, Abdoulaye, Ibrahima, Moussa, Seydou, Amadou, Souleymane, Boubacar, Alassane
Cheikh, Modou, Lamine, Bakary, Sekou, Mouhamed, Aliou, Oumar, Idrissa, Adama, Issa, Lassana
Karim, Yacouba, Sidiki, Fode, Alpha, Thierno, Saliou, Babacar, Ismaila, Malick, Daouda, Habib
Ousseynou, Papa, Demba, Samba, Youssouf, Kalilou, Siaka, Tidiane, Mamady, Mory, Salif
Hamidou, Abdoul Karim, El Hadji, Drissa
""")
_WA_FEMALE = _names("""
Fatoumata, Aissatou, Mariama, Aminata, Kadiatou, Hawa, Oumou, Awa, Ramatoulaye, Khady, Binta
Djeneba, Assitan, Rokia, Kadidia, Salimata, Safiatou, Nafissatou, Coumba, Ndeye, Adama, Sira
Fanta, Maimouna, Haby, Aicha, Astou, Dieynaba, Nene, Sokhna, Mame, Fatou, Seynabou, Hadja
Sali, Fatimata, Aissata, Kankou, Oumy, Penda, Tenin, Korotoumou, Mariam
""")
_SN_FAMILY = _names("""
Diop, Ndiaye, Fall, Gueye, Sarr, Seck, Mbaye, Faye, Thiam, Diouf, Niang, Sy, Ndoye, Mbengue
Lo, Kane, Dieng, Wade, Sall, Ba, Sow, Diallo, Cisse, Toure, Diatta, Badji, Sane, Camara, Mane
Diagne, Ndour, Sene, Cissokho, Diedhiou, Kebe, Samb, Tall, Ly, Dia, Coly, Goudiaby, Sagna, Mendy
""")
_GN_FAMILY = _names("""
Diallo, Bah, Barry, Sow, Balde, Camara, Conde, Soumah, Bangoura, Sylla, Keita, Toure, Kaba
Conte, Kourouma, Cherif, Doumbouya, Sacko, Traore, Kante, Fofana, Cisse, Kouyate, Diakite
Sangare, Tounkara, Magassouba, Oulare, Haidara, Sidibe, Millimono, Loua, Guilavogui, Koivogui
Kamano, Tolno, Sakho, Drame, Diawara, Kone
""")
_ML_FAMILY = _names("""
Traore, Coulibaly, Keita, Diarra, Kone, Sissoko, Dembele, Sangare, Doumbia, Diakite, Cisse
Maiga, Toure, Samake, Tounkara, Kante, Fofana, Sidibe, Dicko, Konate, Diallo, Camara, Sacko
Kouyate, Diabate, Ballo, Bagayoko, Dao, Goita, Guindo, Haidara, Kamissoko, Mariko, Sylla
Sanogo, Togola, Yattara, Berthe, Niare, Drame
""")
_CI_FAMILY = _names("""
Kone, Ouattara, Coulibaly, Bamba, Toure, Traore, Diabate, Kouassi, Koffi, Kouame, Yao
N'Guessan, Konan, Kouadio, Yeo, Soro, Silue, Fofana, Cisse, Doumbia, Sangare, Diomande
Konate, Kouakou, Brou, Aka, Gnahore, Zadi, Dosso, Meite, Sylla, Tuo, Ble, Assi, Amani, Ahoua
Guei, Kra, Diarrassouba, Bakayoko
""")
_GM_MALE = _names("""
Lamin, Modou, Ebrima, Alieu, Ousman, Momodou, Muhammed, Abdoulie, Bakary, Musa, Sainey
Yusupha, Omar, Ousainou, Babucarr, Alagie, Buba, Ismaila, Lamarana, Pa, Sulayman, Kebba
Sheriff, Saikou, Malick, Dawda, Kawsu, Sanna, Fabakary, Landing, Amadou, Ansumana, Ebou
Mustapha, Yankuba, Seedy, Haruna, Baboucarr, Abdou, Sulay
""")
_GM_FEMALE = _names("""
Fatou, Isatou, Mariama, Awa, Haddy, Ndey, Binta, Kaddy, Aminata, Jainaba, Oumie, Nyima, Kumba
Ramatoulie, Adama, Fanta, Haja, Fatoumatta, Saffie, Hawa, Rohey, Amie, Tida, Jarra, Musu
Sainabou, Kaddijatou, Maimuna, Marie, Sally, Ida, Isha, Aji, Sirreh, Mariatou, Nyimasata
""")
_GM_FAMILY = _names("""
Jallow, Ceesay, Bah, Sowe, Touray, Jammeh, Darboe, Sanneh, Kamara, Jobe, Njie, Drammeh, Manneh
Saidy, Sonko, Fatty, Jatta, Jarju, Bojang, Colley, Conteh, Barrow, Sillah, Marong, Jawara
Sanyang, Badjie, Sarr, Secka, Faal, Jaiteh, Krubally, Kanteh, Gassama, Sey, Fofanah, Dibba
Trawally, Cham, Baldeh, Jobarteh, Keita, Suso, Kujabi, Minteh, Janneh, Bayo
""")
_NG_MALE = _names("""
Emmanuel, Godwin, Osagie, Osaro, Friday, Sunday, Samuel, Daniel, Joseph, Peter, Paul, John
Michael, Victor, Kingsley, Chukwuemeka, Chinedu, Ikechukwu, Uche, Obinna, Oluwaseun, Tunde
Adebayo, Olumide, Femi, Ibrahim, Musa, Abubakar, Usman, Aliyu, Efosa, Osas, Ehis, Godspower
Goodluck, Prince, Stanley, Felix, Innocent, Ifeanyi, Nosa, Eseosa, Blessing, Precious
""")
_NG_FEMALE = _names("""
Blessing, Joy, Faith, Gift, Mercy, Precious, Favour, Patience, Esther, Mary, Grace, Peace
Happiness, Princess, Osasu, Osarugue, Eghosa, Chioma, Ngozi, Adaeze, Amaka, Funmilayo, Folake
Aisha, Hauwa, Zainab, Comfort, Rita, Vivian, Success, Loveth, Sandra, Juliet, Rebecca, Deborah
Victoria, Stella, Evelyn, Tina, Rose, Queen, Glory, Ifeoma, Nkechi, Ivie, Omosede, Esohe, Efe
""")
_NG_FAMILY = _names("""
Okafor, Okonkwo, Eze, Nwosu, Obi, Adeyemi, Adebayo, Ogunleye, Oladipo, Osagie, Omoregie
Igbinedion, Osaghae, Aigbe, Iyamu, Edosomwan, Idahosa, Ehigiator, Obaseki, Uwaifo, Okoro
Okeke, Nnamdi, Chukwu, Ibrahim, Bello, Abubakar, Mohammed, Usman, Yusuf, Aliyu, Danjuma
Ogbonna, Onyeka, Akpan, Etim, Bassey, Effiong, Okon, Ekpo, Udoh, Ogbeide, Aghedo, Ugiagbe
Imafidon, Osayande, Omorogbe
""")
_GH_MALE = _names("""
Kwame, Kofi, Kwabena, Kwaku, Yaw, Kojo, Kwesi, Kwadwo, Emmanuel, Samuel, Isaac, Eric, Richard
Prince, Ebenezer, Francis, Daniel, Joseph, Michael, Stephen, Collins, Bismark, Mohammed
Ibrahim, Fuseini, Alhassan, Abdul Karim, Godfred, Kelvin
""")
_GH_FEMALE = _names("""
Ama, Akosua, Abena, Afua, Yaa, Esi, Adwoa, Akua, Efua, Grace, Comfort, Gifty, Mercy, Vida
Patience, Mavis, Gloria, Priscilla, Rita, Ruth, Agnes, Abigail, Felicia, Joyce, Beatrice, Hawa
""")
_GH_FAMILY = _names("""
Mensah, Owusu, Boateng, Asante, Osei, Agyemang, Appiah, Amoah, Addo, Acheampong, Danso, Darko
Ofori, Badu, Antwi, Sarpong, Frimpong, Adjei, Asamoah, Quaye, Tetteh, Annan, Bonsu, Amponsah
Opoku, Gyamfi, Ansah, Donkor, Kyei, Yeboah, Nkansah, Ampofo, Boakye, Oppong, Asare
""")
_HORN_MALE = _names("""
Yonas, Yohannes, Dawit, Tesfay, Berhane, Mehari, Merhawi, Filmon, Samuel, Semere, Robel
Amanuel, Henok, Natnael, Kidane, Mebrahtu, Habtom, Teklay, Aron, Biniam, Mussie, Abraham
Solomon, Daniel, Efrem, Fitsum, Mikael, Tewelde, Yemane, Ghirmay, Kibrom, Zerihun, Getachew
Bereket, Abel, Eyob, Ermias, Tsegaye, Yared, Hailu, Isaias, Goitom, Awet, Medhanie, Nahom
Kaleab, Mulugeta
""")
_HORN_FEMALE = _names("""
Selam, Senait, Helen, Luwam, Saba, Meron, Rahel, Hiwet, Tsega, Yordanos, Mebrat, Almaz
Tigist, Hirut, Meseret, Bethlehem, Mahlet, Feven, Winta, Ruth, Semhar, Freweyni, Abeba
Aster, Mulu, Abrehet, Tsehay, Azeb, Eden, Hanna, Mekdes, Selamawit, Lidya, Sara, Elsa
Tirhas, Genet, Kidist, Netsanet, Yohana, Ariam, Salina, Helina, Fana
""")
_ER_FAMILY = _names("""
Tesfay, Haile, Gebremedhin, Gebremariam, Gebreyesus, Tekle, Kidane, Berhane, Woldemichael
Tsegay, Habte, Asfaha, Ghebreab, Mehari, Negash, Yohannes, Hagos, Abraha, Tewelde, Mebrahtu
Andemariam, Ghebrehiwet, Fesehaye, Okbay, Teklemariam, Weldu, Kahsay, Gebru, Yemane, Zerai
Araya, Mesfin, Ghirmay, Habtemariam, Kiflom, Goitom, Semere, Berhe, Measho, Russom
""")
_ET_FAMILY = _names("""
Tesfaye, Bekele, Tadesse, Kebede, Girma, Alemu, Mengistu, Desta, Haile, Getachew, Assefa
Ayele, Worku, Abebe, Lemma, Shiferaw, Gebremariam, Negash, Mulugeta, Tefera, Demissie
Yilma, Belay, Mekonnen, Taye, Hailu, Gebeyehu, Ayalew, Teshome, Tilahun, Asfaw, Zewdu
Kassa, Mamo, Gebru, Tesema, Woldemichael, Gebreyesus, Wondimu, Fikre
""")
_SO_MALE = _names("""
Mohamed, Ahmed, Abdullahi, Abdirahman, Abdirahim, Abdikadir, Abdiaziz, Hassan, Hussein, Omar
Ali, Ismail, Yusuf, Ibrahim, Osman, Abdi, Farah, Mukhtar, Said, Hamse, Bashir, Liban, Guled
Mahad, Abdiwali, Abdisalam, Mohamud, Yasin, Sharmarke, Khalid, Abdinasir, Ayanle, Dahir
Jama, Warsame, Nur, Aden, Idris, Abdifatah, Hamza
""")
_SO_FEMALE = _names("""
Fadumo, Hodan, Asha, Amina, Hawa, Ifrah, Sahra, Ayan, Halimo, Khadija, Maryan, Nasra, Sagal
Hibo, Ubah, Deeqa, Hamdi, Ikran, Nimco, Ladan, Naima, Zamzam, Hafsa, Ilhan, Muna, Suad, Idil
Fartun, Samira, Safiya, Anab, Sabrin, Fowsiya, Sadia, Layla, Hodo, Filsan
""")
_SO_FAMILY = _names("""
Mohamud, Mohamed, Ahmed, Abdi, Hassan, Hussein, Ali, Omar, Ismail, Farah, Warsame, Jama, Aden
Yusuf, Osman, Abdullahi, Nur, Dahir, Hirsi, Guled, Egal, Duale, Elmi, Isse, Gedi, Samatar
Abdirahman, Said, Ibrahim, Barre, Shire, Bile, Awale, Roble, Wardhere, Musse, Abdille, Yasin
""")
_SD_MALE = _names("""
Mohamed, Ahmed, Osman, Abdalla, Omer, Mustafa, Ibrahim, Adam, Yousif, Ismail, Hassan, Hussein
Ali, Abubakar, Musa, Idris, Suleiman, Khalid, Hamid, Abdelrahman, Abdelaziz, Babiker, Bashir
Mohanad, Motasim, Awad, Yahya, Haroun, Ishag, Salih, Tarig, Elsadig, Elfatih, Mujtaba, Nasr
Abakar, Yagoub, Hamza, Omar, Siddig
""")
_SD_FEMALE = _names("""
Fatima, Amna, Aisha, Mariam, Hawa, Khadija, Zainab, Sara, Safa, Marwa, Hanan, Nuha, Rania
Samah, Huda, Asha, Halima, Amal, Ikhlas, Mawahib, Sumaya, Tasneem, Salma, Reem, Israa, Malaz
Eiman, Nafisa, Zahra, Hadia, Rayan, Fatma
""")
_SD_FAMILY = _names("""
Mohamed, Ahmed, Osman, Abdalla, Adam, Ibrahim, Ali, Hassan, Elamin, Elhassan, Babiker
Abdelrahman, Musa, Ishag, Yagoub, Haroun, Abakar, Idris, Suleiman, Hamid, Eltayeb, Elsheikh
Bashir, Omer, Yousif, Khalil, Abdelkarim, Abdelgadir, Mahmoud, Salih, Awad, Hamad, Elnour
Ismail, Hussein, Mustafa, Yahya, Eltahir, Elbashir
""")
_MAGHREB_MALE = _names("""
Mohamed, Youssef, Rachid, Said, Mustapha, Abdelkader, Khalid, Hicham, Karim, Yassine, Ayoub
Hamza, Omar, Ismail, Amine, Mehdi, Bilal, Adil, Nabil, Samir, Anouar, Soufiane, Zakaria
Othmane, Abdellah, Abderrahim, Abdelaziz, Hassan, Brahim, Driss, Larbi, Mounir, Noureddine
Redouane, Walid, Anas, Ilyas, Aziz, Jamal, Mourad, Fouad, Tarik, Badr, Hamid, Younes
Slimane, Lotfi, Sami, Wassim, Ahmed, Ali
""")
_MAGHREB_FEMALE = _names("""
Fatima, Khadija, Aicha, Zineb, Meryem, Salma, Nadia, Samira, Houda, Souad, Latifa, Naima
Malika, Rachida, Hanane, Imane, Sanaa, Fatiha, Amina, Hafsa, Hajar, Ikram, Yasmine, Sara
Asmae, Loubna, Widad, Karima, Leila, Siham, Ghizlane, Khaoula, Rim, Ines, Sarra, Amel, Mouna
Wafa, Yousra, Zahra, Nour, Chaima, Oumaima, Safae
""")
_MA_FAMILY = _names("""
El Amrani, El Idrissi, Alaoui, El Alami, Bennani, Tazi, Berrada, Chraibi, El Fassi, Bouzid
El Mansouri, Haddad, Lahlou, Naciri, Benjelloun, Ait Ali, Ouali, Boukhari, Belhaj, Cherkaoui
El Khatib, Saidi, Ziani, El Ouardi, Hamdaoui, Jabri, Rami, Kabbaj, Sebti, Bouazza
El Moussaoui, Azzouzi, Benmoussa, Chakir, Bakkali, Rifi, Belkadi, El Hajji, Karimi, Tahiri
El Ghazi, Moujahid, Ennaji, Ait Ouahmane, Boutaleb
""")
_TN_FAMILY = _names("""
Ben Ali, Trabelsi, Gharbi, Hammami, Jebali, Ben Salah, Ben Ahmed, Ben Youssef, Mejri, Ayari
Dridi, Jaziri, Chaabane, Sassi, Bouazizi, Khelifi, Hamdi, Ben Amor, Mansouri, Riahi, Zouari
Ghanmi, Karray, Bouslama, Ferchichi, Jlassi, Baccouche, Tlili, Ouerghi, Ben Hassen
Ben Mahmoud, Kchaou, Feki, Masmoudi, Ben Romdhane, Laabidi, Mabrouk, Slimani, Saidani
Hadj Ali, Haddad, Zribi, Ben Said, Abidi, Hamrouni
""")
_DZ_FAMILY = _names("""
Benali, Bouzid, Belkacem, Boudiaf, Mansouri, Haddad, Hamidi, Saidi, Khelifa, Brahimi, Meziane
Amrani, Benyahia, Bouchareb, Cherif, Djebbar, Ferhat, Ghezali, Hadjadj, Kaci, Larbi, Mebarki
Ouali, Rahmani, Saadi, Slimani, Taleb, Yahiaoui, Zerrouki, Benamara, Bensaid, Boukhari
Benaissa, Ait Ahmed, Amara, Belaid, Chaouch, Djaballah, Guerfi, Hamadouche
""")
_EG_MALE = _names("""
Mohamed, Ahmed, Mahmoud, Mostafa, Ali, Hassan, Hussein, Omar, Khaled, Amr, Tarek, Karim
Sherif, Hany, Walid, Hesham, Ayman, Wael, Islam, Abdelrahman, Youssef, Ibrahim, Ashraf, Ehab
Hossam, Sameh, Tamer, Ramy, Osama, Emad, Gamal, Magdy, Mina, Bishoy, Kerolos, Abanoub, Fady
Peter, George, Ziad, Seif, Adham, Saeed
""")
_EG_FEMALE = _names("""
Fatma, Aya, Mariam, Nour, Yasmin, Salma, Heba, Mona, Rania, Dina, Nada, Sara, Esraa, Shaimaa
Doaa, Asmaa, Amira, Reham, Eman, Marwa, Nesma, Hend, Samar, Hagar, Mai, Radwa, Basma, Sherine
Rana, Yara, Ghada, Noha, Amal, Hanaa, Zeinab, Aisha, Marina, Nermeen, Hala
""")
_EG_FAMILY = _names("""
Mohamed, Ahmed, Mahmoud, Hassan, Ibrahim, Ali, Abdel Rahman, Abdel Aziz, Abdel Fattah
Abdel Hamid, El Sayed, Mostafa, Youssef, Salem, Soliman, Farouk, Fawzy, Gaber, Hamdy, Khalil
Mansour, Morsi, Naguib, Ramadan, Saleh, Shehata, Tawfik, Zaki, Abdallah, Ismail, Osman
Ashour, El Masry, Fahmy, Gomaa, Hegazy, Nasser, Rizk, Samir, Wahba, Attia, Said, Fathy, Helmy
""")
_SY_MALE = _names("""
Mohammad, Ahmad, Omar, Khaled, Ali, Hussam, Firas, Rami, Ammar, Yaman, Majd, Tarek, Hamza
Anas, Mahmoud, Mustafa, Youssef, Abdulrahman, Abdullah, Ibrahim, Samer, Nizar, Ayham, Bilal
""")
_SY_FEMALE = _names("""
Fatima, Rasha, Ruba, Lama, Hiba, Nour, Aya, Rawan, Dima, Ghada, Hala, Lina, Maya, Reem, Sanaa
Yasmin, Zeina, Alaa, Bushra, Rahaf, Sidra
""")
_SY_FAMILY = _names("""
Al-Khatib, Al-Hassan, Haddad, Hamdan, Al-Ahmad, Al-Ali, Khalil, Darwish, Najjar, Al-Homsi
Al-Halabi, Kassem, Issa, Mahmoud, Saleh, Hamoud, Al-Masri, Shami, Aboud, Al-Sheikh, Sabbagh
""")
_PK_MALE = _names("""
Ali, Ahmed, Usman, Imran, Bilal, Hamza, Umar, Hassan, Hussain, Asif, Kashif, Adnan, Shahid
Tariq, Zubair, Waqas, Naveed, Faisal, Irfan, Sajid, Arshad, Javed, Zahid, Junaid, Rizwan
Abdullah, Shahzad, Nadeem, Asad, Kamran, Farhan, Salman, Yasir, Atif, Aamir, Sohail, Waseem
Ijaz, Mudassar, Rashid, Khalid, Nasir, Abid
""")
_PK_FEMALE = _names("""
Ayesha, Fatima, Sana, Amna, Zainab, Hira, Maryam, Saima, Nazia, Shazia, Rabia, Bushra, Samina
Asma, Nadia, Sadia, Kiran, Uzma, Farah, Iqra, Mehwish, Sidra, Nida, Aqsa, Rubina, Shabana
Naseem, Parveen, Razia, Tahira
""")
_PK_FAMILY = _names("""
Khan, Ahmed, Ali, Hussain, Shah, Malik, Butt, Chaudhry, Iqbal, Qureshi, Abbasi, Awan, Raja
Javed, Akhtar, Aslam, Mirza, Sheikh, Siddiqui, Rehman, Hassan, Mahmood, Nawaz, Anwar, Bhatti
Cheema, Gondal, Gill, Jutt, Rana, Arain, Mughal, Shahzad, Rafiq, Sharif, Yousaf, Bashir, Riaz
Zafar, Ashraf
""")
_BD_MALE = _names("""
Abdul, Rafiqul, Aminul, Shahidul, Mizanur, Mahbubur, Habibur, Ashraful, Saiful, Rezaul, Nazrul
Jahangir, Kamal, Jamal, Sohel, Rasel, Shakil, Sumon, Rubel, Masud, Mamun, Faruk, Alamgir
Anwar, Billal, Delwar, Emon, Hasan, Imran, Jewel, Kawsar, Liton, Monir, Nayeem, Rakib, Rony
Sabbir, Shamim, Tanvir, Yasin, Arif, Babul, Hridoy, Milon, Rana, Robiul
""")
_BD_FEMALE = _names("""
Fatema, Ayesha, Nasrin, Shirin, Rokeya, Taslima, Shahnaz, Jesmin, Rehana, Sharmin, Nazma
Salma, Razia, Hasina, Shila, Munni, Popy, Mim, Sumaiya, Sathi, Rupa, Bithi, Keya, Lipi, Mitu
Moushumi, Nusrat, Farzana, Tania, Sultana, Rumana, Kulsum, Khaleda, Parvin, Rahima, Jannat
Jui, Tanjila, Aklima, Hosne Ara
""")
_BD_FAMILY = _names("""
Islam, Rahman, Hossain, Ahmed, Uddin, Miah, Ali, Khan, Chowdhury, Sarker, Sheikh, Alam, Haque
Kabir, Karim, Mollah, Sikder, Talukder, Bhuiyan, Mondal, Biswas, Das, Roy, Paul, Howlader
Mridha, Munshi, Bepari, Majumder, Akanda, Sarder, Hasan, Mahmud, Babu, Matubbar
""")
_BD_FAMILY_FEMALE = _names("Akter, Begum, Khatun, Sultana, Akhter, Parvin")
_AF_MALE = _names("""
Ahmad, Ali, Hamid, Rahmatullah, Naqibullah, Hekmatullah, Zabihullah, Mirwais, Farid, Jawad
Sayed, Noor, Ghulam, Hussain, Hassan, Mustafa, Rahim, Karim, Nasir, Bashir, Yama, Wahid
Shafiq, Sami, Ismail, Habib, Khalid, Omid, Reza, Mahdi, Jamshid, Sohrab, Massoud, Najib
Qasim, Ibrahim, Elyas, Idris, Ehsan, Bilal, Asadullah, Sharif, Shah Mahmood
""")
_AF_FEMALE = _names("""
Fatima, Zahra, Maryam, Farzana, Shabnam, Nasima, Parwana, Zainab, Marzia, Masooma, Freshta
Khadija, Nargis, Shakila, Latifa, Roya, Nilofar, Sakina, Tahmina, Hosai, Mursal, Malalai
Arezo, Sima, Zarghona, Laila, Homa, Habiba, Madina, Sahar, Nazanin, Mahbooba, Khatera
""")
_AF_FAMILY = _names("""
Ahmadzai, Popalzai, Noori, Karimi, Hosseini, Rahimi, Safi, Stanikzai, Mohammadi, Amiri
Jafari, Haidari, Azizi, Sharifi, Rezaei, Akbari, Wardak, Yousufzai, Hakimi, Habibi, Rasuli
Sadat, Nazari, Faizi, Qaderi, Sultani, Mohmand, Shinwari, Durrani, Niazi, Barakzai, Alizai
Hotak, Kakar, Ahmadi, Rahmani, Naseri, Hashimi, Rahmati
""")
_AL_MALE = _names("""
Arben, Besnik, Blerim, Dritan, Elton, Ermal, Fatmir, Gentian, Ilir, Klodian, Kujtim, Ledio
Marjan, Altin, Erion, Florian, Gezim, Indrit, Julian, Klajdi, Kristian, Lulzim, Mirel, Orges
Redon, Sokol, Taulant, Xhevdet, Ylli, Agron, Bujar, Edmond, Fatos, Genci, Leonard, Erjon
Alban, Artan, Ardit, Enea, Aldo, Endrit, Armando, Perparim
""")
_AL_FEMALE = _names("""
Anila, Arta, Blerina, Brunilda, Dorina, Elda, Elona, Entela, Eriola, Esmeralda, Fatjona
Flutura, Gentiana, Ilda, Jonida, Klodiana, Ledia, Lindita, Manjola, Marsela, Mimoza, Rudina
Sidorela, Suela, Teuta, Valbona, Vjollca, Xhensila, Alketa, Anxhela, Besjana, Dafina
Enkeleda, Ermira, Floriana, Greta, Irena, Juliana, Kejsi, Luljeta
""")
_AL_FAMILY = _names("""
Hoxha, Shehu, Gjoka, Leka, Dervishi, Kola, Marku, Gjoni, Prifti, Basha, Cela, Hysa, Kelmendi
Berisha, Gashi, Krasniqi, Shala, Morina, Mehmeti, Rama, Lleshi, Bajrami, Hasani, Ahmeti, Duka
Xhafa, Meta, Brahimi, Qosja, Zeqiri, Kurti, Tafa, Kastrati, Pllumbi, Muca, Dibra, Sula, Begaj
Halili, Llaka
""")
_PE_MALE = _names("""
José, Luis, Juan, Carlos, Jorge, Miguel, Pedro, Víctor, César, Raúl, Manuel, Julio, Alberto
Fernando, Jesús, Ángel, Daniel, Javier, Eduardo, Ricardo, Wilmer, Edwin, Percy, Walter
""")
_PE_FEMALE = _names("""
María, Rosa, Ana, Carmen, Luz, Elizabeth, Juana, Milagros, Gladys, Sonia, Patricia, Karina
Lucía, Flor, Jessica, Yolanda, Silvia, Marisol, Verónica, Susana, Maribel, Roxana
""")
_PE_FAMILY = _names("""
Quispe, Flores, Sánchez, Rodríguez, García, Rojas, Mamani, Huamán, Chávez, Vásquez, Ramírez
Torres, Díaz, Castillo, Mendoza, Gutiérrez, Ramos, Espinoza, Pérez, Condori, Vargas, Cruz
López, Gonzales, Romero, Silva, Paredes, Salazar, Ccahuana, Apaza, Cárdenas, Medina
""")

# Ukrainian and Georgian pools carry their original script; the Latin form is the pool entry.
_UA_MALE_SCRIPT = _script("""
Oleksandr=Олександр, Andriy=Андрій, Serhiy=Сергій, Dmytro=Дмитро, Ivan=Іван, Mykola=Микола
Vitaliy=Віталій, Yuriy=Юрій, Volodymyr=Володимир, Maksym=Максим, Oleh=Олег, Bohdan=Богдан
Taras=Тарас, Artem=Артем, Denys=Денис, Vasyl=Василь, Petro=Петро, Mykhailo=Михайло
Yevhen=Євген, Ihor=Ігор, Roman=Роман, Vadym=Вадим, Ruslan=Руслан, Anatoliy=Анатолій
Pavlo=Павло, Viktor=Віктор, Vladyslav=Владислав, Stepan=Степан, Ostap=Остап
Yaroslav=Ярослав, Kostiantyn=Костянтин, Illia=Ілля, Nazar=Назар, Oleksiy=Олексій
Valeriy=Валерій, Hryhoriy=Григорій, Anton=Антон, Borys=Борис, Danylo=Данило, Kyrylo=Кирило
""")
_UA_FEMALE_SCRIPT = _script("""
Olena=Олена, Oksana=Оксана, Nataliia=Наталія, Tetiana=Тетяна, Iryna=Ірина, Yuliia=Юлія
Olha=Ольга, Svitlana=Світлана, Mariia=Марія, Anna=Анна, Kateryna=Катерина
Liudmyla=Людмила, Viktoriia=Вікторія, Halyna=Галина, Anastasiia=Анастасія, Daryna=Дарина
Sofiia=Софія, Valentyna=Валентина, Nadiia=Надія, Larysa=Лариса, Alina=Аліна
Khrystyna=Христина, Inna=Інна, Lesia=Леся, Ivanna=Іванна, Zoriana=Зоряна
Oleksandra=Олександра, Yana=Яна, Diana=Діана, Marta=Марта, Polina=Поліна, Vira=Віра
Liubov=Любов, Nina=Ніна, Tamara=Тамара, Raisa=Раїса, Solomiia=Соломія, Uliana=Уляна
Zhanna=Жанна
""")
_UA_FAMILY_SCRIPT = _script("""
Shevchenko=Шевченко, Kovalenko=Коваленко, Bondarenko=Бондаренко, Tkachenko=Ткаченко
Kravchenko=Кравченко, Melnyk=Мельник, Shevchuk=Шевчук, Boiko=Бойко, Koval=Коваль
Oliinyk=Олійник, Polishchuk=Поліщук, Lysenko=Лисенко, Savchenko=Савченко, Rudenko=Руденко
Marchenko=Марченко, Moroz=Мороз, Petrenko=Петренко, Kovalchuk=Ковальчук, Kravchuk=Кравчук
Pavlenko=Павленко, Ponomarenko=Пономаренко, Tkachuk=Ткачук, Savchuk=Савчук, Bilyk=Білик
Klymenko=Клименко, Levchenko=Левченко, Havryliuk=Гаврилюк, Kuzmenko=Кузьменко
Ivanenko=Іваненко, Karpenko=Карпенко, Vasylenko=Василенко, Sydorenko=Сидоренко
Romanenko=Романенко, Yakovenko=Яковенко, Semenko=Семенко, Hrytsenko=Гриценко
Zinchenko=Зінченко, Kostenko=Костенко, Pylypenko=Пилипенко, Didenko=Діденко
""")
_GE_MALE_SCRIPT = _script("""
Giorgi=გიორგი, Davit=დავით, Levan=ლევან, Irakli=ირაკლი, Zurab=ზურაბ, Nika=ნიკა, Lasha=ლაშა
Beka=ბექა, Aleksandre=ალექსანდრე, Luka=ლუკა, Gela=გელა, Tornike=თორნიკე, Mamuka=მამუკა
Vakhtang=ვახტანგ, Gocha=გოჩა, Zaza=ზაზა, Tengiz=თენგიზ, Temur=თემურ, Shota=შოთა
Merab=მერაბ, Otar=ოთარ, Revaz=რევაზ, Sandro=სანდრო, Nodar=ნოდარ, Koba=კობა
Avtandil=ავთანდილ, Gia=გია, Mikheil=მიხეილ, Archil=არჩილ, Vladimer=ვლადიმერ
""")
_GE_FEMALE_SCRIPT = _script("""
Nino=ნინო, Mariam=მარიამ, Tamar=თამარ, Natia=ნათია, Ekaterine=ეკატერინე, Ana=ანა
Salome=სალომე, Ketevan=ქეთევან, Khatia=ხატია, Maia=მაია, Nana=ნანა, Tamuna=თამუნა, Eka=ეკა
Sopho=სოფო, Lela=ლელა, Manana=მანანა, Nato=ნატო, Tea=თეა, Irma=ირმა, Marina=მარინა
Lali=ლალი, Nani=ნანი, Elene=ელენე, Mzia=მზია, Ia=ია, Inga=ინგა, Nestan=ნესტან
Tinatin=თინათინ, Lika=ლიკა, Nia=ნია
""")
_GE_FAMILY_SCRIPT = _script("""
Beridze=ბერიძე, Kapanadze=კაპანაძე, Gelashvili=გელაშვილი, Maisuradze=მაისურაძე
Giorgadze=გიორგაძე, Lomidze=ლომიძე, Tsiklauri=წიკლაური, Abashidze=აბაშიძე
Mamaladze=მამალაძე, Kvaratskhelia=კვარაცხელია, Javakhishvili=ჯავახიშვილი
Bolkvadze=ბოლქვაძე, Nozadze=ნოზაძე, Khutsishvili=ხუციშვილი, Tsertsvadze=ცერცვაძე
Mikeladze=მიქელაძე, Chikovani=ჩიქოვანი, Gogoladze=გოგოლაძე, Japaridze=ჯაფარიძე
Dolidze=დოლიძე, Kiknadze=კიკნაძე, Natsvlishvili=ნაცვლიშვილი, Shengelia=შენგელია
Gogia=გოგია, Todua=თოდუა, Jikia=ჯიქია, Khurtsidze=ხურციძე, Macharashvili=მაჩარაშვილი
Beradze=ბერაძე, Tabatadze=ტაბატაძე, Sulaberidze=სულაბერიძე, Chkheidze=ჩხეიძე
Bakradze=ბაქრაძე, Khachidze=ხაჩიძე, Melashvili=მელაშვილი, Tsintsadze=ცინცაძე
Gvenetadze=გვენეტაძე
""")

# --- original scripts of names written in Latin letters above -----------------------------
# Looked up by name class, so "Yousif" finds the entry written for "Youssef". Only a record
# whose every name is listed gets an original-script name.

_ARABIC = _script("""
Mohamed=محمد, Ahmed=أحمد, Mahmoud=محمود, Mustafa=مصطفى, Youssef=يوسف, Abdallah=عبد الله
Osman=عثمان, Ibrahim=إبراهيم, Ali=علي, Hassan=حسن, Hussein=حسين, Omar=عمر, Khaled=خالد
Karim=كريم, Said=سعيد, Rachid=رشيد, Adil=عادل, Yassine=ياسين, Ayoub=أيوب, Hamza=حمزة
Ismail=إسماعيل, Bilal=بلال, Amine=أمين, Mehdi=مهدي, Abdelkader=عبد القادر, Hicham=هشام
Soufiane=سفيان, Zakaria=زكريا, Anas=أنس, Walid=وليد, Mourad=مراد, Samir=سمير, Nabil=نبيل
Tarek=طارق, Amr=عمرو, Sherif=شريف, Hany=هاني, Islam=إسلام, Abdel Rahman=عبد الرحمن
Abdelaziz=عبد العزيز, Adam=آدم, Musa=موسى, Idris=إدريس, Suleiman=سليمان, Yahya=يحيى
Bashir=بشير, Jamal=جمال, Younes=يونس, Mohanad=مهند, Ammar=عمار, Firas=فراس, Rami=رامي
Majd=مجد, Anwar=أنور, Noureddine=نور الدين, Redouane=رضوان, Abderrahim=عبد الرحيم
Larbi=العربي, Mounir=منير, Fouad=فؤاد, Ilyas=إلياس, Aziz=عزيز, Badr=بدر, Hamid=حميد
Lotfi=لطفي, Sami=سامي, Waseem=وسيم, Nizar=نزار, Samer=سامر, Ayham=أيهم, Hossam=حسام
Tamer=تامر, Ashraf=أشرف, Magdy=مجدي, Osama=أسامة, Emad=عماد, Ziad=زياد, Seif=سيف
Adham=أدهم, Wael=وائل, Ayman=أيمن, Ehab=إيهاب, Sameh=سامح, Boubacar=أبو بكر
Babiker=بابكر, Elsadig=الصادق, Elfatih=الفاتح, Motasim=معتصم, Mujtaba=مجتبى, Awad=عوض
Haroun=هارون, Ishaq=إسحاق, Salih=صالح, Khalil=خليل, Yacoub=يعقوب, Abakar=أبكر, Nasr=نصر
Siddig=صديق, Yaman=يمان, Ramy=رامي, Mina=مينا, Fady=فادي, Saeed=سعيد, Abdoulaye=عبد الله
Fatoumata=فاطمة, Khadija=خديجة, Aicha=عائشة, Zainab=زينب, Mariam=مريم, Salma=سلمى
Nadia=نادية, Samira=سميرة, Houda=هدى, Souad=سعاد, Latifa=لطيفة, Naima=نعيمة, Malika=مليكة
Rachida=رشيدة, Hanane=حنان, Imane=إيمان, Sanaa=سناء, Fatiha=فتيحة, Amina=أمينة
Hafsa=حفصة, Hajar=هاجر, Ikram=إكرام, Yasmine=ياسمين, Sara=سارة, Asma=أسماء, Loubna=لبنى
Widad=وداد, Karima=كريمة, Leila=ليلى, Siham=سهام, Ghizlane=غزلان, Khaoula=خولة, Rim=ريم
Ines=إيناس, Amel=أمل, Mona=منى, Wafa=وفاء, Yousra=يسرى, Zahra=زهرة, Noor=نور, Aya=آية
Heba=هبة, Rania=رانيا, Dina=دينا, Nada=ندى, Esraa=إسراء, Shaimaa=شيماء, Doaa=دعاء
Amira=أميرة, Reham=ريهام, Marwa=مروة, Nesma=نسمة, Hend=هند, Samar=سمر, Mai=مي
Radwa=رضوى, Basma=بسمة, Shirin=شيرين, Rana=رنا, Yara=يارا, Ghada=غادة, Noha=نهى
Hanaa=هناء, Hawa=حواء, Amna=آمنة, Safa=صفاء, Samah=سماح, Halima=حليمة, Ikhlas=إخلاص
Sumaiya=سمية, Tasneem=تسنيم, Nafissatou=نفيسة, Rasha=رشا, Ruba=ربى, Lama=لمى, Rawan=روان
Dima=ديما, Hala=هالة, Lina=لينا, Maia=مايا, Zeina=زينة, Alaa=آلاء, Bushra=بشرى, Rahaf=رهف
Sidra=سدرة, Chaima=شيماء, Oumaima=أميمة, Safae=صفاء, Mawahib=مواهب, Malaz=ملاذ
Hadia=هادية, Rayan=ريان, Marina=مارينا, Nermeen=نرمين
El Amrani=العمراني, El Idrissi=الإدريسي, Alaoui=العلوي, El Alami=العلمي, Bennani=بناني
Tazi=التازي, Berrada=برادة, Chraibi=الشرايبي, El Fassi=الفاسي, Bouzid=بوزيد
El Mansouri=المنصوري, Haddad=حداد, Lahlou=لحلو, Benjelloun=بنجلون, Cherkaoui=الشرقاوي
El Khatib=الخطيب, Saidi=السعيدي, Ziani=الزياني, Hamdaoui=الحمداوي, Jabri=الجابري
Belhaj=بلحاج, El Moussaoui=الموساوي, Azzouzi=العزوزي, Bakkali=البقالي, Tahiri=الطاهري
El Ghazi=الغازي, Karimi=الكريمي, Ben Ali=بن علي, Trabelsi=الطرابلسي, Gharbi=الغربي
Hammami=الحمامي, Jebali=الجبالي, Ben Salah=بن صالح, Ben Youssef=بن يوسف, Mejri=الماجري
Ayari=العياري, Dridi=الدريدي, Jaziri=الجزيري, Sassi=ساسي, Khelifi=الخليفي, Hamdi=حمدي
Ben Amor=بن عمر, Riahi=الرياحي, Jlassi=الجلاصي, Tlili=التليلي, Mabrouk=مبروك
Slimani=السليماني, Belkacem=بلقاسم, Boudiaf=بوضياف, Brahimi=براهيمي, Meziane=مزيان
Rahmani=الرحماني, Taleb=طالب, Ferhat=فرحات, El Sayed=السيد, Abdelfattah=عبد الفتاح
Abdelhamid=عبد الحميد, Salem=سالم, Farouk=فاروق, Fawzy=فوزي, Gaber=جابر, Mansour=منصور
Morsi=مرسي, Najib=نجيب, Ramadan=رمضان, Shehata=شحاتة, Tawfik=توفيق, Zaki=زكي
Ashour=عاشور, El Masry=المصري, Fahmy=فهمي, Gomaa=جمعة, Hegazy=حجازي, Nasir=ناصر
Rizk=رزق, Attia=عطية, Fathy=فتحي, Helmy=حلمي, Wahba=وهبة, Elamin=الأمين
Elhassan=الحسن, Eltayeb=الطيب, Elsheikh=الشيخ, Elnour=النور, Hamad=حمد
Abdoul Karim=عبد الكريم, Darwish=درويش, Najjar=النجار, Al-Homsi=الحمصي
Al-Halabi=الحلبي, Qasim=قاسم, Issa=عيسى, Hamoud=حمود, Shami=الشامي, Aboud=عبود
Al-Ahmad=الأحمد, Al-Ali=العلي, Hamdan=حمدان, Sabbagh=الصباغ, Eltahir=الطاهر
Elbashir=البشير, Ben Hassen=بن حسن, Ben Ahmed=بن أحمد, Ben Mahmoud=بن محمود
Ben Said=بن سعيد, Mansouri=المنصوري, Kaci=قاسي, Larbi=العربي, Amrani=العمراني
""")
_GEEZ = _script("""
Yonas=ዮናስ, Yohannes=ዮሃንስ, Dawit=ዳዊት, Tesfaye=ተስፋዬ, Tesfay=ተስፋይ, Berhane=ብርሃነ, Mehari=መሓሪ
Merhawi=መርሃዊ, Filmon=ፊልሞን, Samuel=ሳሙኤል, Semere=ሰመረ, Robel=ሩቤል, Emmanuel=አማኑኤል
Henok=ሄኖክ, Natnael=ናትናኤል, Kidane=ኪዳነ, Mebrahtu=መብራህቱ, Habtom=ሃብቶም, Teklay=ተኽላይ
Aron=አሮን, Biniam=ቢንያም, Mussie=ሙሴ, Abraham=አብርሃም, Solomon=ሰለሞን, Daniel=ዳንኤል
Efrem=ኤፍሬም, Fitsum=ፍጹም, Michael=ሚካኤል, Tewelde=ተወልደ, Yemane=የማነ, Ghirmay=ግርማይ
Kibrom=ክብሮም, Zerihun=ዘሪሁን, Getachew=ጌታቸው, Bereket=በረከት, Abel=አቤል, Eyob=ኢዮብ
Ermias=ኤርምያስ, Tsegaye=ፀጋዬ, Tsegay=ፀጋይ, Yared=ያሬድ, Hailu=ኃይሉ, Goitom=ጎይትኦም, Awet=ዓወት
Medhanie=መድሃኔ, Nahom=ናሆም, Kaleab=ካሌብ, Mulugeta=ሙሉጌታ
Selam=ሰላም, Senait=ሰናይት, Helen=ሄለን, Luwam=ሉዋም, Saba=ሳባ, Meron=ሜሮን, Rahel=ራሄል
Hiwet=ሕይወት, Tsega=ፀጋ, Yordanos=ዮርዳኖስ, Mebrat=መብራት, Almaz=አልማዝ, Tigist=ትዕግስት
Hirut=ሂሩት, Meseret=መሰረት, Bethlehem=ቤተልሔም, Mahlet=ማህሌት, Feven=ፌቨን, Winta=ዊንታ
Ruth=ሩት, Semhar=ሰምሃር, Freweyni=ፍረወይኒ, Abeba=አበባ, Aster=አስቴር, Mulu=ሙሉ
Abrehet=አብረሀት, Tsehay=ፀሐይ, Azeb=አዜብ, Eden=ኤደን, Hanna=ሃና, Mekdes=መቅደስ
Selamawit=ሰላማዊት, Lidya=ሊድያ, Sara=ሳራ, Elsa=ኤልሳ, Tirhas=ትርሓስ, Genet=ገነት
Kidist=ቅድስት, Netsanet=ነፃነት, Yohana=ዮሃና, Ariam=አርያም, Salina=ሳሊና, Helina=ሄሊና
Haile=ኃይለ, Gebremedhin=ገብረመድህን, Gebremariam=ገብረማርያም, Gebreyesus=ገብረየሱስ
Tekle=ተክለ, Woldemichael=ወልደሚካኤል, Habte=ሃብተ, Asfaha=አስፍሃ, Mengistu=መንግስቱ
Girma=ግርማ, Alemu=አለሙ, Bekele=በቀለ, Tadesse=ታደሰ, Kebede=ከበደ, Desta=ደስታ
Ghebreab=ገብረአብ, Negash=ነጋሽ, Hagos=ሓጎስ, Abraha=አብርሃ, Andemariam=አንደማርያም
Ghebrehiwet=ገብረሕይወት, Fesehaye=ፍስሃየ, Okbay=ዑቕባይ, Teklemariam=ተክለማርያም, Weldu=ወልዱ
Kahsay=ካሕሳይ, Gebru=ገብሩ, Assefa=አሰፋ, Ayele=አየለ, Shiferaw=ሽፈራው, Worku=ወርቁ
Abebe=አበበ, Lemma=ለማ, Zerai=ዘርአይ, Araya=አርአያ, Mesfin=መስፍን, Habtemariam=ሃብተማርያም
Kiflom=ክፍሎም, Tefera=ተፈራ, Demissie=ደምሴ, Yilma=ይልማ, Belay=በላይ, Mekonnen=መኮንን
Taye=ታዬ, Tilahun=ጥላሁን, Kassa=ካሳ, Mamo=ማሞ, Tesema=ተሰማ, Berhe=በርሀ, Asfaw=አስፋው
""")
_URDU = _script("""
Mohamed=محمد, Ali=علی, Ahmed=احمد, Osman=عثمان, Imran=عمران, Bilal=بلال, Hamza=حمزہ
Omar=عمر, Hassan=حسن, Hussein=حسین, Asif=آصف, Kashif=کاشف, Adnan=عدنان, Shahid=شاہد
Tarek=طارق, Zubair=زبیر, Waqas=وقاص, Naveed=نوید, Faisal=فیصل, Irfan=عرفان, Sajid=ساجد
Arshad=ارشد, Javed=جاوید, Zahid=زاہد, Junaid=جنید, Redouane=رضوان, Abdoulaye=عبداللہ
Shahzad=شہزاد, Nadeem=ندیم, Asad=اسد, Kamran=کامران, Farhan=فرحان, Salman=سلمان
Yasir=یاسر, Atif=عاطف, Aamir=عامر, Sohail=سہیل, Waseem=وسیم, Ijaz=اعجاز, Rachid=راشد
Khaled=خالد, Nasir=ناصر, Abid=عابد, Mudassar=مدثر
Aicha=عائشہ, Fatoumata=فاطمہ, Sanaa=ثناء, Amna=آمنہ, Zainab=زینب, Hira=حرا, Mariam=مریم
Saima=صائمہ, Nazia=نازیہ, Shazia=شازیہ, Rabia=رابعہ, Bushra=بشریٰ, Samina=ثمینہ
Asma=اسماء, Nadia=نادیہ, Sadia=سعدیہ, Kiran=کرن, Uzma=عظمیٰ, Farah=فرح, Iqra=اقراء
Mehwish=مہوش, Sidra=سدرہ, Nida=ندا, Aqsa=اقصیٰ, Rubina=روبینہ, Shabana=شبانہ
Naseem=نسیم, Parvin=پروین, Razia=رضیہ, Tahira=طاہرہ
Khan=خان, Shah=شاہ, Malick=ملک, Butt=بٹ, Chowdhury=چوہدری, Iqbal=اقبال, Qureshi=قریشی
Abbasi=عباسی, Awan=اعوان, Raja=راجہ, Akter=اختر, Aslam=اسلم, Mirza=مرزا, Cheikh=شیخ
Siddiqui=صدیقی, Rahman=رحمان, Mahmoud=محمود, Nawaz=نواز, Anwar=انور, Bhatti=بھٹی
Cheema=چیمہ, Gondal=گوندل, Gill=گل, Jutt=جٹ, Rana=رانا, Arain=آرائیں, Mughal=مغل
Rafiq=رفیق, Sherif=شریف, Youssef=یوسف, Bashir=بشیر, Riaz=ریاض, Zafar=ظفر, Ashraf=اشرف
""")
_BENGALI = _script("""
Mohamed=মোহাম্মদ, Abdul=আব্দুল, Rafiqul=রফিকুল, Aminul=আমিনুল, Shahidul=শহিদুল
Mizanur=মিজানুর, Mahbubur=মাহবুবুর, Habibur=হাবিবুর, Ashraful=আশরাফুল, Saiful=সাইফুল
Rezaul=রেজাউল, Nazrul=নজরুল, Jahangir=জাহাঙ্গীর, Kamal=কামাল, Jamal=জামাল, Sohail=সোহেল
Rasel=রাসেল, Shakil=শাকিল, Sumon=সুমন, Rubel=রুবেল, Massoud=মাসুদ, Mamun=মামুন
Farouk=ফারুক, Alamgir=আলমগীর, Anwar=আনোয়ার, Bilal=বিল্লাল, Delwar=দেলোয়ার, Emon=ইমন
Hassan=হাসান, Imran=ইমরান, Jewel=জুয়েল, Kawsar=কাওসার, Liton=লিটন, Mounir=মনির
Rakib=রাকিব, Sabbir=সাব্বির, Shamim=শামীম, Tanvir=তানভীর, Arif=আরিফ, Milon=মিলন
Md=মোঃ, Rana=রানা, Yassine=ইয়াসিন, Nayeem=নাঈম, Rony=রনি, Babul=বাবুল, Hridoy=হৃদয়
Fatoumata=ফাতেমা, Aicha=আয়েশা, Nasrin=নাসরিন, Shirin=শিরিন, Rokia=রোকেয়া
Taslima=তাসলিমা, Shahnaz=শাহনাজ, Yasmine=জেসমিন, Rehana=রেহানা, Sharmin=শারমিন
Nazma=নাজমা, Salma=সালমা, Hasina=হাসিনা, Sumaiya=সুমাইয়া, Nusrat=নুসরাত
Farzana=ফারজানা, Tania=তানিয়া, Sultana=সুলতানা, Parvin=পারভীন, Rahima=রহিমা
Jannat=জান্নাত, Mim=মিম, Rupa=রূপা, Mitu=মিতু, Razia=রাজিয়া, Munni=মুন্নি
Islam=ইসলাম, Rahman=রহমান, Hussein=হোসেন, Ahmed=আহমেদ, Uddin=উদ্দিন, Miah=মিয়া
Ali=আলী, Khan=খান, Chowdhury=চৌধুরী, Sarker=সরকার, Cheikh=শেখ, Akter=আক্তার
Begum=বেগম, Khatun=খাতুন, Alam=আলম, Haque=হক, Kabir=কবির, Karim=করিম, Mollah=মোল্লা
Sikder=শিকদার, Talukder=তালুকদার, Bhuiyan=ভূঁইয়া, Mondal=মণ্ডল, Biswas=বিশ্বাস
Das=দাস, Roy=রায়, Paul=পাল, Howlader=হাওলাদার, Majumder=মজুমদার, Mahmoud=মাহমুদ
""")
_PERSIAN = _script("""
Mohamed=محمد, Ahmed=احمد, Ali=علی, Hamid=حمید, Rahmatullah=رحمت الله, Naqibullah=نقیب الله
Hekmatullah=حکمت الله, Zabihullah=ذبیح الله, Mirwais=میرویس, Farid=فرید, Jawad=جواد
Sayed=سید, Noor=نور, Ghulam=غلام, Hussein=حسین, Hassan=حسن, Mustafa=مصطفی, Rahim=رحیم
Karim=کریم, Nasir=ناصر, Bashir=بشیر, Yama=یما, Wahid=وحید, Shafiq=شفیق, Sami=سمیع
Ismail=اسماعیل, Habib=حبیب, Khaled=خالد, Omid=امید, Reza=رضا, Mehdi=مهدی
Jamshid=جمشید, Sohrab=سهراب, Massoud=مسعود, Najib=نجیب, Qasim=قاسم, Ibrahim=ابراهیم
Ilyas=الیاس, Idris=ادریس, Ehsan=احسان, Bilal=بلال, Asadullah=اسدالله, Sherif=شریف
Fatoumata=فاطمه, Zahra=زهرا, Mariam=مریم, Farzana=فرزانه, Shabnam=شبنم, Nasima=نسیمه
Parwana=پروانه, Zainab=زینب, Marzia=مرضیه, Masooma=معصومه, Freshta=فرشته, Khadija=خدیجه
Nargis=نرگس, Shakila=شکیلا, Latifa=لطیفه, Roya=رویا, Nilofar=نیلوفر, Sakina=سکینه
Tahmina=تهمینه, Hosai=هوسۍ, Mursal=مرسل, Malalai=ملالی, Arezo=آرزو, Sima=سیما
Zarghona=زرغونه, Leila=لیلا, Homa=هما, Habiba=حبیبه, Madina=مدینه, Sahar=سحر
Nazanin=نازنین, Mahbooba=محبوبه, Khatera=خاطره
Ahmadzai=احمدزی, Popalzai=پوپلزی, Noori=نوری, Karimi=کریمی, Hosseini=حسینی, Rahimi=رحیمی
Safi=صافی, Stanikzai=ستانکزی, Mohammadi=محمدی, Amiri=امیری, Jafari=جعفری, Haidari=حیدری
Azizi=عزیزی, Sharifi=شریفی, Rezaei=رضایی, Akbari=اکبری, Wardak=وردک, Yousufzai=یوسفزی
Hakimi=حکیمی, Habibi=حبیبی, Rasuli=رسولی, Sadat=سادات, Nazari=نظری, Faizi=فیضی
Qaderi=قادری, Sultani=سلطانی, Mohmand=مهمند, Shinwari=شینواری, Durrani=درانی, Niazi=نیازی
Barakzai=بارکزی, Alizai=علیزی, Hotak=هوتک, Kakar=کاکړ, Ahmadi=احمدی, Rahmani=رحمانی
Naseri=ناصری, Hashimi=هاشمی, Rahmati=رحمتی
""")

_SCRIPTS: dict[str, dict[str, str]] = {
    "arabic": _ARABIC,
    "geez": _GEEZ,
    "urdu": _URDU,
    "bengali": _BENGALI,
    "persian": _PERSIAN,
    "cyrillic": {**_UA_MALE_SCRIPT, **_UA_FEMALE_SCRIPT, **_UA_FAMILY_SCRIPT},
    "georgian": {**_GE_MALE_SCRIPT, **_GE_FEMALE_SCRIPT, **_GE_FAMILY_SCRIPT},
}

# A slot is a list of (ISO 639-1 code or None, weight); one code is drawn from each slot.
_Slots = tuple[tuple[tuple[str | None, float], ...], ...]


@dataclass(frozen=True)
class _Origin:
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    languages: _Slots
    female_share: float = 0.3
    second_given: float = 0.1  # two given names
    double_family: float = 0.0  # two family names (Spanish usage)
    family_female: tuple[str, ...] = ()  # family names only women carry
    male_prefix: tuple[str, ...] = ()  # "Md", "Muhammad" before the name in use
    male_prefix_rate: float = 0.0
    script: str = ""
    script_rate: float = 0.0
    second_nationality: str = ""  # the one a duplicate may add


def _wa(family: tuple[str, ...], languages: _Slots, other: str) -> _Origin:
    return _Origin(
        _WA_MALE,
        _WA_FEMALE,
        family,
        languages,
        female_share=0.2,
        second_given=0.2,
        second_nationality=other,
    )


_ORIGINS: dict[str, _Origin] = {
    "SN": _wa(_SN_FAMILY, ((("wo", 0.75), ("ff", 0.25)), (("fr", 0.8), (None, 0.2))), "GM"),
    "GN": _wa(_GN_FAMILY, ((("ff", 0.55), (None, 0.45)), (("fr", 1.0),)), "SL"),
    "ML": _wa(
        _ML_FAMILY, ((("bm", 0.75), ("ff", 0.15), (None, 0.1)), (("fr", 0.85), (None, 0.15))), "CI"
    ),
    "CI": _wa(_CI_FAMILY, ((("fr", 1.0),), (("bm", 0.3), (None, 0.7))), "BF"),
    "GM": _Origin(
        _GM_MALE,
        _GM_FEMALE,
        _GM_FAMILY,
        ((("en", 1.0),), (("wo", 0.4), ("ff", 0.3), (None, 0.3))),
        female_share=0.15,
        second_given=0.15,
        second_nationality="SN",
    ),
    "NG": _Origin(
        _NG_MALE,
        _NG_FEMALE,
        _NG_FAMILY,
        ((("en", 1.0),), (("yo", 0.2), ("ig", 0.2), ("ha", 0.15), (None, 0.45))),
        female_share=0.55,
        second_given=0.25,
        second_nationality="GH",
    ),
    "GH": _Origin(
        _GH_MALE,
        _GH_FEMALE,
        _GH_FAMILY,
        ((("en", 1.0),), (("ak", 0.6), ("ee", 0.15), (None, 0.25))),
        female_share=0.3,
        second_given=0.2,
        second_nationality="NG",
    ),
    "ER": _Origin(
        _HORN_MALE,
        _HORN_FEMALE,
        _ER_FAMILY,
        ((("ti", 0.85), ("ar", 0.15)), (("ar", 0.3), ("en", 0.3), (None, 0.4))),
        female_share=0.4,
        second_given=0.03,
        script="geez",
        script_rate=0.4,
        second_nationality="ET",
    ),
    "ET": _Origin(
        _HORN_MALE,
        _HORN_FEMALE,
        _ET_FAMILY,
        ((("am", 0.6), ("om", 0.25), ("ti", 0.15)), (("en", 0.4), (None, 0.6))),
        female_share=0.45,
        second_given=0.03,
        script="geez",
        script_rate=0.4,
        second_nationality="ER",
    ),
    "SO": _Origin(
        _SO_MALE,
        _SO_FEMALE,
        _SO_FAMILY,
        ((("so", 1.0),), (("ar", 0.3), ("en", 0.3), (None, 0.4))),
        female_share=0.4,
        second_given=0.02,
        second_nationality="ET",
    ),
    "SD": _Origin(
        _SD_MALE,
        _SD_FEMALE,
        _SD_FAMILY,
        ((("ar", 1.0),), (("en", 0.4), (None, 0.6))),
        female_share=0.15,
        second_given=0.05,
        script="arabic",
        script_rate=0.35,
        second_nationality="SS",
    ),
    "MA": _Origin(
        _MAGHREB_MALE,
        _MAGHREB_FEMALE,
        _MA_FAMILY,
        ((("ar", 1.0),), (("fr", 0.6), ("es", 0.1), (None, 0.3))),
        female_share=0.25,
        second_given=0.05,
        male_prefix=("Mohamed",),
        male_prefix_rate=0.06,
        script="arabic",
        script_rate=0.35,
        second_nationality="FR",
    ),
    "TN": _Origin(
        _MAGHREB_MALE,
        _MAGHREB_FEMALE,
        _TN_FAMILY,
        ((("ar", 1.0),), (("fr", 0.7), (None, 0.3)), (("it", 0.15), (None, 0.85))),
        female_share=0.15,
        second_given=0.05,
        male_prefix=("Mohamed",),
        male_prefix_rate=0.06,
        script="arabic",
        script_rate=0.35,
        second_nationality="FR",
    ),
    "DZ": _Origin(
        _MAGHREB_MALE,
        _MAGHREB_FEMALE,
        _DZ_FAMILY,
        ((("ar", 1.0),), (("fr", 0.8), (None, 0.2))),
        female_share=0.2,
        second_given=0.05,
        male_prefix=("Mohamed",),
        male_prefix_rate=0.06,
        script="arabic",
        script_rate=0.35,
        second_nationality="FR",
    ),
    "EG": _Origin(
        _EG_MALE,
        _EG_FEMALE,
        _EG_FAMILY,
        ((("ar", 1.0),), (("en", 0.5), (None, 0.5))),
        female_share=0.1,
        second_given=0.03,
        script="arabic",
        script_rate=0.35,
        second_nationality="SD",
    ),
    "SY": _Origin(
        _SY_MALE,
        _SY_FEMALE,
        _SY_FAMILY,
        ((("ar", 1.0),), (("ku", 0.1), ("en", 0.3), (None, 0.6))),
        female_share=0.4,
        second_given=0.03,
        script="arabic",
        script_rate=0.35,
        second_nationality="LB",
    ),
    "PK": _Origin(
        _PK_MALE,
        _PK_FEMALE,
        _PK_FAMILY,
        (
            (("pa", 0.45), ("ur", 0.4), ("ps", 0.15)),
            (("ur", 0.6), (None, 0.4)),
            (("en", 0.5), (None, 0.5)),
        ),
        female_share=0.05,
        second_given=0.15,
        male_prefix=("Muhammad", "Mohammad"),
        male_prefix_rate=0.25,
        script="urdu",
        script_rate=0.3,
        second_nationality="AF",
    ),
    "BD": _Origin(
        _BD_MALE,
        _BD_FEMALE,
        _BD_FAMILY,
        ((("bn", 1.0),), (("en", 0.4), (None, 0.6))),
        female_share=0.08,
        second_given=0.3,
        family_female=_BD_FAMILY_FEMALE,
        male_prefix=("Md", "Mohammad", "Md", "Mohammed"),
        male_prefix_rate=0.45,
        script="bengali",
        script_rate=0.3,
        second_nationality="IN",
    ),
    "AF": _Origin(
        _AF_MALE,
        _AF_FEMALE,
        _AF_FAMILY,
        (
            (("fa", 0.55), ("ps", 0.45)),
            (("ps", 0.3), ("fa", 0.3), (None, 0.4)),
            (("en", 0.2), (None, 0.8)),
        ),
        female_share=0.2,
        second_given=0.05,
        male_prefix=("Mohammad", "Sayed"),
        male_prefix_rate=0.12,
        script="persian",
        script_rate=0.35,
        second_nationality="IR",
    ),
    "UA": _Origin(
        tuple(_UA_MALE_SCRIPT),
        tuple(_UA_FEMALE_SCRIPT),
        tuple(_UA_FAMILY_SCRIPT),
        ((("uk", 1.0),), (("ru", 0.7), (None, 0.3)), (("en", 0.3), (None, 0.7))),
        female_share=0.75,
        second_given=0.0,
        script="cyrillic",
        script_rate=0.5,
        second_nationality="MD",
    ),
    "GE": _Origin(
        tuple(_GE_MALE_SCRIPT),
        tuple(_GE_FEMALE_SCRIPT),
        tuple(_GE_FAMILY_SCRIPT),
        ((("ka", 1.0),), (("ru", 0.6), (None, 0.4))),
        female_share=0.5,
        second_given=0.0,
        script="georgian",
        script_rate=0.4,
        second_nationality="RU",
    ),
    "AL": _Origin(
        _AL_MALE,
        _AL_FEMALE,
        _AL_FAMILY,
        ((("sq", 1.0),), (("it", 0.5), (None, 0.5)), (("en", 0.3), (None, 0.7))),
        female_share=0.4,
        second_given=0.02,
        second_nationality="GR",
    ),
    "PE": _Origin(
        _PE_MALE,
        _PE_FEMALE,
        _PE_FAMILY,
        ((("es", 1.0),), (("qu", 0.1), (None, 0.9))),
        female_share=0.65,
        second_given=0.55,
        double_family=0.7,
        second_nationality="ES",
    ),
}


# --- indexes ------------------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(text: str) -> str:
    """Lookup form of a name: case-free, hyphens as spaces, single spaces."""
    return " ".join(text.casefold().replace("-", " ").split())


# spelling (folded) -> canonical key of its class
_CLASS_OF: dict[str, str] = {}
for _key, _variants in NAME_VARIANTS.items():
    for _spelling in (_key, *_variants):
        _CLASS_OF.setdefault(_fold(_spelling), _key)


def _canonical(name: str) -> str:
    return _CLASS_OF.get(_fold(name)) or _CLASS_OF.get(_fold(_strip_accents(name))) or name


def _spellings(key: str) -> list[str]:
    return [key, *NAME_VARIANTS.get(key, [])]


# Every spelling the generator knows: name units are recognised by these.
_KNOWN: dict[str, str] = {}
for _origin in _ORIGINS.values():
    for _pool in (_origin.male, _origin.female, _origin.family, _origin.family_female):
        for _spelling in _pool:
            _KNOWN.setdefault(_fold(_spelling), _spelling)
for _key, _variants in NAME_VARIANTS.items():
    for _spelling in (_key, *_variants):
        _KNOWN.setdefault(_fold(_spelling), _spelling)

# accent-free folded form -> the accented spellings it stands for (sorted: determinism)
_ACCENTED: dict[str, list[str]] = {}
for _spelling in sorted(_KNOWN.values()):
    if _strip_accents(_spelling) != _spelling:
        _ACCENTED.setdefault(_fold(_strip_accents(_spelling)), []).append(_spelling)

# script name -> {canonical key: name in that script}
_SCRIPT_BY_CLASS: dict[str, dict[str, str]] = {}
for _script_name, _table in _SCRIPTS.items():
    _by_class: dict[str, str] = {}
    for _spelling, _original in _table.items():  # the first entry of a class stands for it
        _by_class.setdefault(_canonical(_spelling), _original)
    _by_class.update(_table)  # an exact spelling wins ("Md" -> its own abbreviation)
    _SCRIPT_BY_CLASS[_script_name] = _by_class

del _key, _variants, _spelling, _origin, _pool, _script_name, _table, _by_class, _original


# --- drawing a person ---------------------------------------------------------------------

_AGE_BANDS = (
    (14, 17, 0.06),
    (18, 24, 0.30),
    (25, 34, 0.34),
    (35, 44, 0.18),
    (45, 59, 0.10),
    (60, 75, 0.02),
)
_PRECISIONS = (("day", 0.82), ("year", 0.09), ("estimated", 0.06), ("month", 0.03))


def _weighted(rng: random.Random, pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights=weights)[0]


def _today(today: datetime.date | None) -> datetime.date:
    return today if today is not None else datetime.datetime.now(datetime.UTC).date()


def _birth(rng: random.Random, today: datetime.date) -> tuple[datetime.date, str]:
    low, high, _ = rng.choices(_AGE_BANDS, weights=[w for *_, w in _AGE_BANDS])[0]
    age = rng.randint(low, high)
    born = today - datetime.timedelta(days=int(age * 365.2425) + rng.randrange(365))
    precision = _weighted(rng, _PRECISIONS)
    if precision == "year":
        born = born.replace(month=1, day=1)
    elif precision == "month":
        born = born.replace(day=1)
    return born, precision


def _pick_other(rng: random.Random, pool: tuple[str, ...], avoid: str) -> str:
    """A name from the pool that is not a spelling of ``avoid``."""
    for _ in range(20):
        name = rng.choice(pool)
        if _canonical(name) != _canonical(avoid):
            return name
    return rng.choice(pool)


def _original_script(origin: _Origin, units: list[str]) -> str:
    table = _SCRIPT_BY_CLASS.get(origin.script, {})
    parts = []
    for unit in units:
        found = table.get(unit) or table.get(_canonical(unit))
        if not found:
            return ""
        parts.append(found)
    return " ".join(parts)


def person(
    rng: random.Random,
    *,
    entity: int,
    nationality: str | None = None,
    today: datetime.date | None = None,
) -> Record:
    """One plausible person; ``nationality`` is drawn from ``NATIONALITY_MIX`` when None."""
    if nationality is None:
        nationality = _weighted(rng, NATIONALITY_MIX.items())
    origin = _ORIGINS.get(nationality)
    if origin is None:
        raise ValueError(f"no names for nationality {nationality!r}; known: {sorted(_ORIGINS)}")

    roll = rng.random()
    sex = "U" if roll < 0.002 else ("F" if roll < 0.002 + origin.female_share else "M")
    female = sex == "F" or (sex == "U" and rng.random() < 0.5)
    pool = origin.female if female else origin.male

    given = [rng.choice(pool)]
    if not female and origin.male_prefix and rng.random() < origin.male_prefix_rate:
        prefix = rng.choice(origin.male_prefix)
        if _canonical(prefix) != _canonical(given[0]):
            given.insert(0, prefix)
    elif rng.random() < origin.second_given:
        given.append(_pick_other(rng, pool, given[0]))

    family_pool = origin.family
    if female and origin.family_female and rng.random() < 0.5:
        family_pool = origin.family_female
    family = [rng.choice(family_pool)]
    if rng.random() < origin.double_family:
        family.append(_pick_other(rng, family_pool, family[0]))

    born, precision = _birth(rng, _today(today))
    languages: list[str] = []
    for slot in origin.languages:
        code = _weighted(rng, slot)
        if code and code not in languages:
            languages.append(code)
    if not languages:  # everyone speaks something: the first slot's likeliest language
        languages.append(max((w, c) for c, w in origin.languages[0] if c)[1])

    script = ""
    if origin.script and rng.random() < origin.script_rate:
        script = _original_script(origin, given + family)

    return Record(
        given_names=" ".join(given),
        family_names=" ".join(family),
        sex=sex,
        birth_date=born,
        birth_date_precision=precision,
        nationalities=[nationality],
        languages=languages,
        original_script_name=script,
        entity=entity,
    )


# --- the same person typed again ----------------------------------------------------------


def _units(text: str) -> list[str]:
    """Name units: known multi-word names ("El Amrani", "Abdel Rahman") stay whole."""
    words = text.split()
    units: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 3), i, -1):
            candidate = " ".join(words[i:j])
            if j == i + 1 or _fold(candidate) in _KNOWN:
                units.append(candidate)
                i = j
                break
    return units


def _same_case(model: str, text: str) -> str:
    if model.isupper():
        return text.upper()
    if model.islower():
        return text.lower()
    return text


def _respell(rng: random.Random, unit: str) -> str | None:
    """Another spelling of the unit's name, common spellings being likelier."""
    key = _CLASS_OF.get(_fold(unit)) or _CLASS_OF.get(_fold(_strip_accents(unit)))
    if key is None:
        return None
    options = [
        (spelling, 1.0 / (rank + 1))
        for rank, spelling in enumerate(_spellings(key))
        if _fold(spelling) != _fold(unit)
    ]
    if not options:
        return None
    return _same_case(unit, _weighted(rng, options))


def _op_transliterate(rng: random.Random, rec: Record) -> Record | None:
    fields = {"given_names": _units(rec.given_names), "family_names": _units(rec.family_names)}
    targets = [
        (name, i)
        for name, units in fields.items()
        for i, unit in enumerate(units)
        if _fold(unit) in _CLASS_OF or _fold(_strip_accents(unit)) in _CLASS_OF
    ]
    if not targets:
        return None
    name, i = rng.choice(targets)
    new = _respell(rng, fields[name][i])
    if new is None:
        return None
    fields[name][i] = new
    return replace(rec, **{name: " ".join(fields[name])})


def _op_accents(rng: random.Random, rec: Record) -> Record | None:
    text = f"{rec.given_names} {rec.family_names}"
    if _strip_accents(text) != text:
        return replace(
            rec,
            given_names=_strip_accents(rec.given_names),
            family_names=_strip_accents(rec.family_names),
        )
    fields = {"given_names": _units(rec.given_names), "family_names": _units(rec.family_names)}
    targets = [
        (name, i)
        for name, units in fields.items()
        for i, unit in enumerate(units)
        if _fold(unit) in _ACCENTED
    ]
    if not targets:
        return None
    name, i = rng.choice(targets)
    unit = fields[name][i]
    fields[name][i] = _same_case(unit, rng.choice(_ACCENTED[_fold(unit)]))
    return replace(rec, **{name: " ".join(fields[name])})


_ARTICLES = ("el", "al")
_JOINING = ("abdel", "abdul", "abdoul", "abdi", "gebre", "ghebre", "wolde", "welde", "el", "al")


def _particle_forms(text: str) -> list[str]:
    """Ways a second operator may write the particles of ``text`` differently."""
    forms: list[str] = []
    words = text.split()
    for i, word in enumerate(words):
        head, rest = words[:i], words[i + 1 :]
        low = word.casefold()
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if "-" in word:  # El-Amrani -> El Amrani, Elamrani
            left, _, right = word.partition("-")
            if left and right:
                forms.append(" ".join([*head, left, right, *rest]))
                forms.append(" ".join([*head, left + _same_case(word, right.lower()), *rest]))
        if low in _ARTICLES and nxt:  # El Amrani -> Elamrani, El-Amrani, Amrani, Al Amrani
            tail = words[i + 2 :]
            other = "Al" if low == "el" else "El"
            forms.append(" ".join([*head, word + _same_case(word, nxt.lower()), *tail]))
            forms.append(" ".join([*head, f"{word}-{nxt}", *tail]))
            forms.append(" ".join([*head, nxt, *tail]))
            forms.append(" ".join([*head, _same_case(word, other), nxt, *tail]))
        elif low in _JOINING + ("ben", "bin", "abu", "ould", "ait") and nxt:
            tail = words[i + 2 :]
            forms.append(" ".join([*head, word + _same_case(word, nxt.lower()), *tail]))
        if "'" in word:  # N'Diaye -> Ndiaye
            left, _, right = word.partition("'")
            forms.append(" ".join([*head, left + _same_case(word, right.lower()), *rest]))
        # Joined -> split, when the class lists the split form (Benali -> Ben Ali).
        key = _CLASS_OF.get(_fold(word))
        if key:
            for spelling in _spellings(key):
                squeezed = spelling.replace(" ", "").replace("'", "").replace("-", "")
                if squeezed.casefold() == low and squeezed != spelling:
                    forms.append(" ".join([*head, _same_case(word, spelling), *rest]))
        for particle in _JOINING:
            tail_part = low[len(particle) :]
            if low.startswith(particle) and len(tail_part) >= 4 and tail_part in _KNOWN:
                split = [word[: len(particle)], _same_case(word, _KNOWN[tail_part])]
                forms.append(" ".join([*head, *split, *rest]))
                if particle in _ARTICLES:
                    forms.append(" ".join([*head, split[1], *rest]))
    return [f for f in dict.fromkeys(forms) if f and f != text]


def _op_particle(rng: random.Random, rec: Record) -> Record | None:
    options = [("family_names", f) for f in _particle_forms(rec.family_names)]
    options += [("given_names", f) for f in _particle_forms(rec.given_names)]
    if not options:
        return None
    name, form = rng.choice(options)
    return replace(rec, **{name: form})


_VOWEL = set("aeiouy")
_DOUBLING = set("bdfgklmnprstz")


def _op_double(rng: random.Random, rec: Record) -> Record | None:
    fields = {"given_names": rec.given_names, "family_names": rec.family_names}
    singles, doubles = [], []
    for name, text in fields.items():
        low = text.casefold()
        for i in range(len(low) - 1):
            if low[i].isalpha() and low[i] == low[i + 1]:
                doubles.append((name, i))
            elif i > 0 and low[i] in _DOUBLING and low[i - 1] in _VOWEL and low[i + 1] in _VOWEL:
                singles.append((name, i))
    if doubles and (not singles or rng.random() < 0.6):
        name, i = rng.choice(doubles)
        text = fields[name]
        return replace(rec, **{name: text[:i] + text[i + 1 :]})
    if singles:
        name, i = rng.choice(singles)
        text = fields[name]
        return replace(rec, **{name: text[: i + 1] + text[i] + text[i + 1 :]})
    return None


def _op_swap(rng: random.Random, rec: Record) -> Record | None:
    if not rec.given_names or not rec.family_names:
        return None
    return replace(rec, given_names=rec.family_names, family_names=rec.given_names)


def _op_compound(rng: random.Random, rec: Record) -> Record | None:
    given = _units(rec.given_names)
    family = _units(rec.family_names)
    options: list[tuple[str, str]] = []
    if len(given) >= 2:
        options.append(("given_names", given[0]))
        if _canonical(given[0]) in ("Mohamed", "Sayed"):  # "Md Rafiqul" -> "Rafiqul"
            options.append(("given_names", " ".join(given[1:])))
    else:
        origin = _ORIGINS.get(rec.nationalities[0] if rec.nationalities else "")
        if origin is not None and given:
            pool = origin.female if rec.sex == "F" else origin.male
            extra = _same_case(given[0], _pick_other(rng, pool, given[0]))
            options.append(("given_names", f"{rec.given_names} {extra}"))
    if len(family) >= 2 and family[0].casefold() not in _JOINING + ("ben", "bin", "abu"):
        options.append(("family_names", family[0]))
    if not options:
        return None
    name, value = rng.choice(options)
    return replace(rec, **{name: value})


_NEIGHBOURS = {
    "q": "wa",
    "w": "qes",
    "e": "wrd",
    "r": "etf",
    "t": "ryg",
    "y": "tuh",
    "u": "yij",
    "i": "uok",
    "o": "ipl",
    "p": "ol",
    "a": "qsz",
    "s": "adwx",
    "d": "sfe",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "j": "hku",
    "k": "jli",
    "l": "kop",
    "z": "asx",
    "x": "zc",
    "c": "xv",
    "v": "cb",
    "b": "vn",
    "n": "bm",
    "m": "n",
}


def _op_typo(rng: random.Random, rec: Record) -> Record | None:
    fields = {"given_names": rec.given_names, "family_names": rec.family_names}
    spots = [
        (name, i)
        for name, text in fields.items()
        for i in range(1, len(text) - 1)
        if text[i].isalpha() and text[i + 1].isalpha() and text[i - 1].isalpha()
    ]
    if not spots:
        return None
    name, i = rng.choice(spots)
    text = fields[name]
    if rng.random() < 0.5 and text[i].casefold() != text[i + 1].casefold():  # transposed
        new = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    else:  # a neighbouring key
        near = _NEIGHBOURS.get(text[i].lower())
        if not near:
            return None
        letter = rng.choice(near)
        new = text[:i] + (letter.upper() if text[i].isupper() else letter) + text[i + 1 :]
    return replace(rec, **{name: new})


def _op_date(rng: random.Random, rec: Record) -> Record | None:
    born = rec.birth_date
    options = ["estimated"]
    if rec.birth_date_precision != "year":
        options += ["year", "year"]
    if (
        rec.birth_date_precision in ("day", "estimated")
        and born.day <= 12
        and born.day != born.month
    ):
        options += ["swap", "swap"]
    choice = rng.choice(options)
    if choice == "year":
        return replace(rec, birth_date=datetime.date(born.year, 1, 1), birth_date_precision="year")
    if choice == "swap":
        return replace(rec, birth_date=born.replace(month=born.day, day=born.month))
    if rng.random() < 0.4:  # an age estimate, written as 1 January of a near year
        near = [datetime.date(born.year + k, 1, 1) for k in (-1, 0, 1)]
        moved = rng.choice([d for d in near if d != born and abs((d - born).days) <= 365])
    else:
        moved = born + datetime.timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 365))
    return replace(rec, birth_date=moved, birth_date_precision="estimated")


def _op_case(rng: random.Random, rec: Record) -> Record | None:
    if rec.family_names.isupper() and rec.given_names.isupper():
        return replace(
            rec, given_names=rec.given_names.title(), family_names=rec.family_names.title()
        )
    if rng.random() < 0.6:
        return replace(
            rec, given_names=rec.given_names.upper(), family_names=rec.family_names.upper()
        )
    return replace(rec, family_names=rec.family_names.upper())


# Weights among the operations that apply to a record: particles and accents only apply to
# some names, so when they do they are likely to be the change made.
_OPERATIONS = (
    (_op_transliterate, 30),
    (_op_particle, 30),
    (_op_accents, 20),
    (_op_date, 12),
    (_op_case, 10),
    (_op_compound, 8),
    (_op_double, 7),
    (_op_swap, 6),
    (_op_typo, 4),
)


def variant(rng: random.Random, record: Record) -> Record:
    """A true duplicate of ``record``: 1 to 3 changes a second operator would make.

    Sex, entity and the first nationality never change; a second nationality is sometimes
    added and the original-script name is sometimes not recorded.
    """
    start = replace(
        record, nationalities=list(record.nationalities), languages=list(record.languages)
    )
    current = start
    wanted = _weighted(rng, ((1, 0.5), (2, 0.35), (3, 0.15)))
    remaining = list(_OPERATIONS)
    done = 0
    while done < wanted and remaining:
        op = rng.choices(remaining, weights=[w for _, w in remaining])[0]
        remaining.remove(op)
        changed = op[0](rng, current)
        if changed is not None and changed != current and changed != start:
            current = changed
            done += 1

    origin = _ORIGINS.get(record.nationalities[0] if record.nationalities else "")
    extra = origin.second_nationality if origin else ""
    if extra and extra not in current.nationalities and rng.random() < 0.03:
        current.nationalities.append(extra)
    if current.original_script_name and rng.random() < 0.3:
        current = replace(current, original_script_name="")
    return replace(current, sex=record.sex, entity=record.entity)


def population(
    rng: random.Random,
    n: int,
    *,
    duplicate_rate: float = 0.0,
    today: datetime.date | None = None,
) -> list[Record]:
    """``n`` originals (entities ``0..n-1``), then ``round(n * duplicate_rate)`` duplicates
    of randomly chosen originals (one original may get several)."""
    if n < 0 or duplicate_rate < 0:
        raise ValueError("n and duplicate_rate must not be negative")
    day = _today(today)
    records = [person(rng, entity=i, today=day) for i in range(n)]
    if n:
        for _ in range(int(n * duplicate_rate + 0.5)):
            records.append(variant(rng, records[rng.randrange(n)]))
    return records
