"""Table-driven tests for ``kg.extract.money.find_amounts`` in nl, fr, id, en, de, es.

Every sentence here is written for these tests.  Each case lists the expected
amounts as (span text, value, ISO currency) plus optional lower bound,
qualifier and implicit-currency flag; an empty list means "no money here".
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.money import find_amounts
from kg.model import Span

Expected = tuple[str, Decimal, str, Decimal | None, str | None, bool]


def A(
    text: str,
    value: str | int,
    currency: str,
    *,
    lo: str | int | None = None,
    q: str | None = None,
    implicit: bool = False,
) -> Expected:
    """One expected amount."""
    return (text, Decimal(str(value)), currency, Decimal(str(lo)) if lo is not None else None, q, implicit)


EN = [
    ("Nebula Cloud will spend $2.4 billion on a new campus outside Dallas.", [A("$2.4 billion", 2_400_000_000, "USD")]),
    ("The robotics startup raised £350m in its latest round.", [A("£350m", 350_000_000, "GBP")]),
    ("Investors poured €1.2bn into the cooling project last year.", [A("€1.2bn", 1_200_000_000, "EUR")]),
    ("The sovereign fund pledged USD 1.4 trillion over ten years.", [A("USD 1.4 trillion", 1_400_000_000_000, "USD")]),
    (
        "Analysts expect spending of more than $500 billion by 2027.",
        [A("$500 billion", 500_000_000_000, "USD", q="more_than")],
    ),
    ("The deal could be worth up to $40bn, insiders said.", [A("$40bn", 40_000_000_000, "USD", q="up_to")]),
    ("It paid about $3 billion for the minority stake.", [A("$3 billion", 3_000_000_000, "USD", q="about")]),
    ("The firm booked at least $7.5 billion in orders.", [A("$7.5 billion", 7_500_000_000, "USD", q="at_least")]),
    ("The plant cost less than $900 million to build.", [A("$900 million", 900_000_000, "USD", q="less_than")]),
    (
        "Estimates for the cluster range from 8 to 10 billion dollars.",
        [A("8 to 10 billion dollars", 10_000_000_000, "USD", lo=8_000_000_000)],
    ),
    ("The final bill is between $8bn and $10bn.", [A("$8bn and $10bn", 10_000_000_000, "USD", lo=8_000_000_000)]),
    (
        "Capex will reach $8 billion to 10 billion next year.",
        [A("$8 billion to 10 billion", 10_000_000_000, "USD", lo=8_000_000_000)],
    ),
    ("A billion dollars is no longer a large cheque here.", [A("A billion dollars", 1_000_000_000, "USD")]),
    ("Two billion dollars were set aside for accelerators.", [A("Two billion dollars", 2_000_000_000, "USD")]),
    ("The lab says it needs hundreds of billions of dollars.", []),
    ("Billions of dollars keep flowing into server farms.", []),
    ("The campus will host 100,000 GPUs and draw 1.2 GW of power.", []),
    ("Revenue grew 35% in 2024 while margins held.", []),
    ("The assistant now reaches 400 million weekly users.", []),
    ("Insiders sold 2 million shares at $41.50 each.", [A("$41.50", "41.50", "USD")]),
    ("The site adds 250,000 square metres of space for 12,000 workers.", []),
    (
        "Gulf investors committed $5bn in 2025 and 7 billion in 2026.",
        [A("$5bn", 5_000_000_000, "USD"), A("7 billion", 7_000_000_000, "USD", implicit=True)],
    ),
    ("The group spent $2 billion and now serves 3 billion users.", [A("$2 billion", 2_000_000_000, "USD")]),
    (
        "Oslo offered NOK 20 billion and Stockholm SEK 15 billion.",
        [A("NOK 20 billion", 20_000_000_000, "NOK"), A("SEK 15 billion", 15_000_000_000, "SEK")],
    ),
    (
        "The unit raised HK$7.8 billion, while A$2 billion came from Sydney.",
        [A("HK$7.8 billion", 7_800_000_000, "HKD"), A("A$2 billion", 2_000_000_000, "AUD")],
    ),
    ("The Riyadh fund put in 3.75 billion riyals.", [A("3.75 billion riyals", 3_750_000_000, "SAR")]),
    (
        "Brazilian banks lent R$12 billion; Canadian pensions added C$4 billion.",
        [A("R$12 billion", 12_000_000_000, "BRL"), A("C$4 billion", 4_000_000_000, "CAD")],
    ),
    ("Whether to build is a billion-dollar question.", []),
    (
        "The platform maker invested $13 billion (€12 billion) in the lab.",
        [A("$13 billion", 13_000_000_000, "USD"), A("€12 billion", 12_000_000_000, "EUR")],
    ),
    ("It was a $1.5-billion bet on liquid cooling.", [A("$1.5-billion", 1_500_000_000, "USD")]),
    ("The cost, in 2030 dollars, is hard to pin down.", []),
    ("The hall is rated at 50 MW and cost $300m to fit out.", [A("$300m", 300_000_000, "USD")]),
    ("The filing lists a total of $1,250,000,000 for the build.", [A("$1,250,000,000", 1_250_000_000, "USD")]),
    (
        "They spent roughly half a billion dollars on fibre.",
        [A("half a billion dollars", 500_000_000, "USD", q="about")],
    ),
    ("Several hundred million dollars changed hands.", []),
]

NL = [
    ("Het Utrechtse bedrijf haalt 45 miljoen euro op bij investeerders.", [A("45 miljoen euro", 45_000_000, "EUR")]),
    ("De bouw van het rekencentrum kost 1,2 miljard euro.", [A("1,2 miljard euro", 1_200_000_000, "EUR")]),
    (
        "Het fonds steekt ruim 300 miljoen dollar in Europese start-ups.",
        [A("300 miljoen dollar", 300_000_000, "USD", q="more_than")],
    ),
    (
        "Het concern trekt tot 2 miljard euro uit voor nieuwe chips.",
        [A("2 miljard euro", 2_000_000_000, "EUR", q="up_to")],
    ),
    ("Naar schatting gaat het om zo'n 750 miljoen euro.", [A("750 miljoen euro", 750_000_000, "EUR", q="about")]),
    ("De overname is bijna 4 miljard dollar waard.", [A("4 miljard dollar", 4_000_000_000, "USD", q="about")]),
    ("Er is minstens 500 miljoen euro nodig.", [A("500 miljoen euro", 500_000_000, "EUR", q="at_least")]),
    (
        "Het kabinet reserveert tussen de 8 en 10 miljard euro.",
        [A("8 en 10 miljard euro", 10_000_000_000, "EUR", lo=8_000_000_000)],
    ),
    (
        "Een pakket van 8-10 miljard euro ligt op tafel.",
        [A("8-10 miljard euro", 10_000_000_000, "EUR", lo=8_000_000_000)],
    ),
    ("De chipmaker is nu 3 biljoen dollar waard.", [A("3 biljoen dollar", 3_000_000_000_000, "USD")]),
    ("Een miljard euro is veel geld voor een provincie.", [A("Een miljard euro", 1_000_000_000, "EUR")]),
    ("De durfinvesteerder stak twee miljard dollar in de maker.", [A("twee miljard dollar", 2_000_000_000, "USD")]),
    ("Miljarden euro's gaan naar rekenkracht.", []),
    ("Het gaat om enkele honderden miljoenen euro's.", []),
    ("Het nieuwe datacenter krijgt een capaciteit van 200 megawatt.", []),
    ("In 2025 groeide de omzet met 12 procent.", []),
    ("De campus telt 40.000 vierkante meter en 25.000 gpu's.", []),
    ("De dienst heeft inmiddels 1,5 miljoen klanten.", []),
    ("De Britse tak investeert £800 miljoen in Manchester.", [A("£800 miljoen", 800_000_000, "GBP")]),
    (
        "Het contract is 150 miljoen Amerikaanse dollar waard.",
        [A("150 miljoen Amerikaanse dollar", 150_000_000, "USD")],
    ),
    ("Het ging uiteindelijk om € 2,5 miljard.", [A("€ 2,5 miljard", 2_500_000_000, "EUR")]),
    ("Volgens de Engelse persmap gaat het om 1.5 miljard dollar.", [A("1.5 miljard dollar", 1_500_000_000, "USD")]),
    ("De aandelen gingen weg voor 12,40 euro per stuk.", [A("12,40 euro", "12.40", "EUR")]),
    ("De vergoeding is 2.500 euro per maand.", [A("2.500 euro", 2500, "EUR")]),
    (
        "De chipmaker investeert 3 miljard euro in 2026 en 4 miljard in 2027.",
        [A("3 miljard euro", 3_000_000_000, "EUR"), A("4 miljard", 4_000_000_000, "EUR", implicit=True)],
    ),
    ("De bank leende 20 miljoen euro's uit.", [A("20 miljoen euro's", 20_000_000, "EUR")]),
    (
        "De investering bedraagt 500 miljoen euro (ongeveer 540 miljoen dollar).",
        [A("500 miljoen euro", 500_000_000, "EUR"), A("540 miljoen dollar", 540_000_000, "USD", q="about")],
    ),
    ("Er komt anderhalf miljard euro bij.", [A("anderhalf miljard euro", 1_500_000_000, "EUR")]),
    ("Het bod van 7 mld. euro werd afgewezen.", [A("7 mld. euro", 7_000_000_000, "EUR")]),
]

FR = [
    (
        "La jeune pousse lyonnaise lève 600 millions d'euros auprès de fonds américains.",
        [A("600 millions d'euros", 600_000_000, "EUR")],
    ),
    ("Le groupe investira 1,3 milliard d’euros dans trois campus.", [A("1,3 milliard d’euros", 1_300_000_000, "EUR")]),
    (
        "Le plan prévoit 30 à 50 milliards d’euros d'investissements.",
        [A("30 à 50 milliards d’euros", 50_000_000_000, "EUR", lo=30_000_000_000)],
    ),
    (
        "Le fonds promet entre 30 et 50 milliards d'euros.",
        [A("30 et 50 milliards d'euros", 50_000_000_000, "EUR", lo=30_000_000_000)],
    ),
    (
        "La valorisation atteint plus de 10 milliards de dollars.",
        [A("10 milliards de dollars", 10_000_000_000, "USD", q="more_than")],
    ),
    (
        "Le contrat pourrait atteindre jusqu'à 2 milliards d'euros.",
        [A("2 milliards d'euros", 2_000_000_000, "EUR", q="up_to")],
    ),
    (
        "Le chantier coûtera environ 800 millions d'euros.",
        [A("800 millions d'euros", 800_000_000, "EUR", q="about")],
    ),
    ("Près de 4 milliards de dollars ont été levés.", [A("4 milliards de dollars", 4_000_000_000, "USD", q="about")]),
    ("L'État apporte au moins 500 millions d'euros.", [A("500 millions d'euros", 500_000_000, "EUR", q="at_least")]),
    (
        "Le prototype coûte moins de 100 millions d'euros.",
        [A("100 millions d'euros", 100_000_000, "EUR", q="less_than")],
    ),
    ("Cinq milliards d'euros seront mobilisés.", [A("Cinq milliards d'euros", 5_000_000_000, "EUR")]),
    ("Un milliard de dollars, c'est le ticket d'entrée.", [A("Un milliard de dollars", 1_000_000_000, "USD")]),
    ("La capitalisation dépasse 3 billions de dollars.", [A("3 billions de dollars", 3_000_000_000_000, "USD")]),
    ("Un billion de dollars de capitalisation boursière.", [A("Un billion de dollars", 1_000_000_000_000, "USD")]),
    ("Des milliards d'euros sont en jeu.", []),
    ("Des contrats de plusieurs centaines de millions de dollars.", []),
    ("Le site consommera 1 GW et accueillera 50 000 puces.", []),
    ("Le chiffre d'affaires a progressé de 40 % en 2024.", []),
    ("Le campus occupera 30 000 m² près de Lyon.", []),
    ("Le groupe compte 250 salariés et 2 millions d'utilisateurs.", []),
    ("Le rachat s'élève à 1 500 millions d'euros.", [A("1 500 millions d'euros", 1_500_000_000, "EUR")]),
    ("L'opération porte sur 2\u202f000\u202f000 €.", [A("2\u202f000\u202f000 €", 2_000_000, "EUR")]),
    ("Il a investi 5 M€ puis 1,2 Md€.", [A("5 M€", 5_000_000, "EUR"), A("1,2 Md€", 1_200_000_000, "EUR")]),
    (
        "Un fonds de 500 millions de francs suisses a été créé.",
        [A("500 millions de francs suisses", 500_000_000, "CHF")],
    ),
    (
        "Le groupe a investi 10 milliards de dollars (9,2 milliards d'euros).",
        [A("10 milliards de dollars", 10_000_000_000, "USD"), A("9,2 milliards d'euros", 9_200_000_000, "EUR")],
    ),
    (
        "L'éditeur a levé 200 millions de dollars en 2023 et 300 millions en 2024.",
        [A("200 millions de dollars", 200_000_000, "USD"), A("300 millions", 300_000_000, "USD", implicit=True)],
    ),
    ("Une enveloppe de 4 milliards $US est évoquée.", [A("4 milliards $US", 4_000_000_000, "USD")]),
    ("Deux cents millions d'euros iront à la recherche.", [A("Deux cents millions d'euros", 200_000_000, "EUR")]),
    (
        "Au total, la plateforme a obtenu plus d'un milliard de dollars depuis 2021.",
        [A("un milliard de dollars", 1_000_000_000, "USD", q="more_than")],
    ),
]

DE = [
    (
        "Der Konzern investiert 3,2 Milliarden Euro in ein neues Rechenzentrum.",
        [A("3,2 Milliarden Euro", 3_200_000_000, "EUR")],
    ),
    ("Das Start-up sammelt 120 Millionen Euro ein.", [A("120 Millionen Euro", 120_000_000, "EUR")]),
    (
        "Die Ausgaben steigen auf mehr als 2 Billionen Dollar.",
        [A("2 Billionen Dollar", 2_000_000_000_000, "USD", q="more_than")],
    ),
    ("Bis zu 5 Milliarden Euro sollen fließen.", [A("5 Milliarden Euro", 5_000_000_000, "EUR", q="up_to")]),
    ("Die Anlage kostet rund 900 Millionen Euro.", [A("900 Millionen Euro", 900_000_000, "EUR", q="about")]),
    (
        "Knapp 4 Milliarden Dollar wurden bereits investiert.",
        [A("4 Milliarden Dollar", 4_000_000_000, "USD", q="about")],
    ),
    ("Mindestens 1,5 Mrd. Euro sind eingeplant.", [A("1,5 Mrd. Euro", 1_500_000_000, "EUR", q="at_least")]),
    ("Der Bund gibt weniger als 300 Mio. Euro.", [A("300 Mio. Euro", 300_000_000, "EUR", q="less_than")]),
    (
        "Im Gespräch sind zwischen 8 und 10 Milliarden Euro.",
        [A("8 und 10 Milliarden Euro", 10_000_000_000, "EUR", lo=8_000_000_000)],
    ),
    (
        "Die Kosten liegen bei 8 bis 10 Milliarden Euro.",
        [A("8 bis 10 Milliarden Euro", 10_000_000_000, "EUR", lo=8_000_000_000)],
    ),
    ("Eine Milliarde Euro fließt in die Forschung.", [A("Eine Milliarde Euro", 1_000_000_000, "EUR")]),
    ("Zwei Milliarden US-Dollar stehen bereit.", [A("Zwei Milliarden US-Dollar", 2_000_000_000, "USD")]),
    ("Milliarden Euro fließen in Rechenzentren.", []),
    ("Mehrere hundert Millionen Euro wurden verplant.", []),
    ("Die Rechenzentren brauchen 55 Gigawatt.", []),
    ("Der Umsatz wuchs 2024 um 15 Prozent.", []),
    ("Das Werk beschäftigt 3.000 Menschen auf 20.000 Quadratmetern.", []),
    ("Die Aktie kostet derzeit 45,30 Euro.", [A("45,30 Euro", "45.30", "EUR")]),
    ("Die Firma zahlt 2.500 Euro Prämie.", [A("2.500 Euro", 2500, "EUR")]),
    ("Das Projekt kostet 1,2 Mrd. €.", [A("1,2 Mrd. €", 1_200_000_000, "EUR")]),
    (
        "Der Kaufpreis beträgt 750 Mio. Schweizer Franken.",
        [A("750 Mio. Schweizer Franken", 750_000_000, "CHF")],
    ),
    (
        "Der Fonds hat 4 Milliarden Euro (4,3 Milliarden Dollar) eingesammelt.",
        [A("4 Milliarden Euro", 4_000_000_000, "EUR"), A("4,3 Milliarden Dollar", 4_300_000_000, "USD")],
    ),
    (
        "Im ersten Jahr fließen 2 Milliarden Euro und im zweiten 3 Milliarden in den Ausbau.",
        [A("2 Milliarden Euro", 2_000_000_000, "EUR"), A("3 Milliarden", 3_000_000_000, "EUR", implicit=True)],
    ),
    ("Der Börsenwert liegt bei 4 Billionen US-Dollar.", [A("4 Billionen US-Dollar", 4_000_000_000_000, "USD")]),
    ("Dreihundert Millionen Euro gehen an Hochschulen.", [A("Dreihundert Millionen Euro", 300_000_000, "EUR")]),
    ("Die Anleger zahlten 12 Mrd. Dollar für die Anteile.", [A("12 Mrd. Dollar", 12_000_000_000, "USD")]),
]

ES = [
    (
        "La empresa invertirá 30.000 millones de dólares en centros de datos.",
        [A("30.000 millones de dólares", 30_000_000_000, "USD")],
    ),
    ("El fondo aporta 1.500 millones de euros.", [A("1.500 millones de euros", 1_500_000_000, "EUR")]),
    (
        "Los socios destinarán 100 mil millones de dólares al proyecto.",
        [A("100 mil millones de dólares", 100_000_000_000, "USD")],
    ),
    ("Se trata de una apuesta de mil millones de dólares.", [A("mil millones de dólares", 1_000_000_000, "USD")]),
    ("Un millón de dólares por cada nodo.", [A("Un millón de dólares", 1_000_000, "USD")]),
    (
        "El grupo captó más de 200 millones de euros.",
        [A("200 millones de euros", 200_000_000, "EUR", q="more_than")],
    ),
    (
        "El plan prevé hasta 50 mil millones de dólares.",
        [A("50 mil millones de dólares", 50_000_000_000, "USD", q="up_to")],
    ),
    ("Costará alrededor de 700 millones de euros.", [A("700 millones de euros", 700_000_000, "EUR", q="about")]),
    (
        "Casi 3.000 millones de euros se invertirán en la red.",
        [A("3.000 millones de euros", 3_000_000_000, "EUR", q="about")],
    ),
    (
        "Al menos 400 millones de dólares llegarán este año.",
        [A("400 millones de dólares", 400_000_000, "USD", q="at_least")],
    ),
    ("La obra costó menos de 90 millones de euros.", [A("90 millones de euros", 90_000_000, "EUR", q="less_than")]),
    (
        "El consorcio moverá entre 30 y 50 mil millones de dólares.",
        [A("30 y 50 mil millones de dólares", 50_000_000_000, "USD", lo=30_000_000_000)],
    ),
    (
        "La ronda será de 8 a 10 millones de euros.",
        [A("8 a 10 millones de euros", 10_000_000, "EUR", lo=8_000_000)],
    ),
    ("Un billón de dólares de capitalización.", [A("Un billón de dólares", 1_000_000_000_000, "USD")]),
    ("La compañía vale 2,5 billones de dólares.", [A("2,5 billones de dólares", 2_500_000_000_000, "USD")]),
    ("Miles de millones de dólares fluyen hacia la IA.", []),
    ("Cientos de millones de euros se quedaron sin asignar.", []),
    ("El centro tendrá 300 MW y 20.000 GPU.", []),
    ("Las ventas crecieron un 25% en 2024.", []),
    ("La plataforma tiene 500 millones de usuarios.", []),
    ("Cinco mil millones de dólares irán a chips.", [A("Cinco mil millones de dólares", 5_000_000_000, "USD")]),
    (
        "La inversión suma 2.000 millones de dólares estadounidenses.",
        [A("2.000 millones de dólares estadounidenses", 2_000_000_000, "USD")],
    ),
    ("Pagó US$ 150 millones por la participación.", [A("US$ 150 millones", 150_000_000, "USD")]),
    (
        "Aportó 200 millones de euros en 2024 y 300 millones en 2025.",
        [A("200 millones de euros", 200_000_000, "EUR"), A("300 millones", 300_000_000, "EUR", implicit=True)],
    ),
    (
        "El acuerdo es de 1.000 millones de euros (unos 1.080 millones de dólares).",
        [
            A("1.000 millones de euros", 1_000_000_000, "EUR"),
            A("1.080 millones de dólares", 1_080_000_000, "USD", q="about"),
        ],
    ),
    ("Las acciones cotizan a 12,50 euros.", [A("12,50 euros", "12.50", "EUR")]),
    ("La ampliación supone 1.5 mil millones de dólares.", [A("1.5 mil millones de dólares", 1_500_000_000, "USD")]),
]

ID = [
    ("Perusahaan itu akan menanamkan US$2 miliar di Batam.", [A("US$2 miliar", 2_000_000_000, "USD")]),
    ("Nilai investasinya mencapai Rp 15 triliun.", [A("Rp 15 triliun", 15_000_000_000_000, "IDR")]),
    ("Pemerintah menyiapkan Rp1,5 triliun untuk pusat data.", [A("Rp1,5 triliun", 1_500_000_000_000, "IDR")]),
    ("Proyek senilai 3 miliar dolar AS itu dimulai tahun depan.", [A("3 miliar dolar AS", 3_000_000_000, "USD")]),
    (
        "Dana sebesar US$500 juta (Rp 7,5 triliun) disiapkan.",
        [A("US$500 juta", 500_000_000, "USD"), A("Rp 7,5 triliun", 7_500_000_000_000, "IDR")],
    ),
    ("Nilainya lebih dari 1 miliar dolar AS.", [A("1 miliar dolar AS", 1_000_000_000, "USD", q="more_than")]),
    ("Perusahaan menyiapkan hingga 5 miliar dolar AS.", [A("5 miliar dolar AS", 5_000_000_000, "USD", q="up_to")]),
    ("Biayanya sekitar Rp 250 miliar.", [A("Rp 250 miliar", 250_000_000_000, "IDR", q="about")]),
    ("Hampir 2 miliar dolar telah digelontorkan.", [A("2 miliar dolar", 2_000_000_000, "USD", q="about")]),
    ("Setidaknya Rp 10 triliun dibutuhkan.", [A("Rp 10 triliun", 10_000_000_000_000, "IDR", q="at_least")]),
    ("Biayanya kurang dari 100 juta dolar AS.", [A("100 juta dolar AS", 100_000_000, "USD", q="less_than")]),
    (
        "Nilainya antara 8 dan 10 miliar dolar AS.",
        [A("8 dan 10 miliar dolar AS", 10_000_000_000, "USD", lo=8_000_000_000)],
    ),
    (
        "Anggarannya sebesar 8 hingga 10 miliar dolar AS.",
        [A("8 hingga 10 miliar dolar AS", 10_000_000_000, "USD", lo=8_000_000_000)],
    ),
    ("Satu miliar dolar AS akan dikucurkan.", [A("Satu miliar dolar AS", 1_000_000_000, "USD")]),
    ("Dua ratus juta dolar disiapkan untuk riset.", [A("Dua ratus juta dolar", 200_000_000, "USD")]),
    ("Seratus miliar rupiah dialokasikan.", [A("Seratus miliar rupiah", 100_000_000_000, "IDR")]),
    ("Ratusan miliar rupiah mengalir ke sektor ini.", []),
    ("Beberapa miliar dolar sudah masuk.", []),
    ("Pusat data berkapasitas 100 MW dengan 10.000 GPU.", []),
    ("Pertumbuhannya 20% pada tahun 2024.", []),
    ("Program itu melatih 2,5 juta orang.", []),
    ("Harga sahamnya Rp 4.500 per lembar.", [A("Rp 4.500", 4500, "IDR")]),
    ("Rilis berbahasa Inggris menyebut 1.5 miliar dolar AS.", [A("1.5 miliar dolar AS", 1_500_000_000, "USD")]),
    (
        "Dana 2 miliar dolar AS pada 2025 dan 3 miliar pada 2026.",
        [A("2 miliar dolar AS", 2_000_000_000, "USD"), A("3 miliar", 3_000_000_000, "USD", implicit=True)],
    ),
    ("Nilainya 5 miliar dolar Singapura.", [A("5 miliar dolar Singapura", 5_000_000_000, "SGD")]),
    ("Investasi sebesar €1,2 miliar disetujui.", [A("€1,2 miliar", 1_200_000_000, "EUR")]),
    (
        "Komitmen US$100 miliar (Rp 1.512 triliun) diumumkan.",
        [A("US$100 miliar", 100_000_000_000, "USD"), A("Rp 1.512 triliun", 1_512_000_000_000_000, "IDR")],
    ),
]

CASES = [
    pytest.param(lang, text, expected, id=f"{lang}-{i}")
    for lang, table in (("en", EN), ("nl", NL), ("fr", FR), ("de", DE), ("es", ES), ("id", ID))
    for i, (text, expected) in enumerate(table)
]


def _found(text: str, lang: str) -> list[Expected]:
    return [
        (a.text, a.value, a.currency, a.value_min, a.qualifier, a.currency_implicit) for a in find_amounts(text, lang)
    ]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_amounts(lang: str, text: str, expected: list[Expected]) -> None:
    assert _found(text, lang) == expected


@pytest.mark.parametrize(("lang", "table"), [("en", EN), ("nl", NL), ("fr", FR), ("de", DE), ("es", ES), ("id", ID)])
def test_each_language_has_enough_cases(lang: str, table: list[tuple[str, list[Expected]]]) -> None:
    assert len(table) >= 25, lang


def test_billion_depends_on_language() -> None:
    assert find_amounts("2 billion euros", "en")[0].value == Decimal(2 * 10**9)
    assert find_amounts("2 billions d'euros", "fr")[0].value == Decimal(2 * 10**12)


def test_unknown_language_falls_back_to_english() -> None:
    amounts = find_amounts("The fund holds $5 billion and €2bn.", "xx")
    assert [(a.text, a.currency) for a in amounts] == [("$5 billion", "USD"), ("€2bn", "EUR")]


def test_offsets_and_sentences() -> None:
    text = "First line.\nThe fund spent $3 billion. Then it stopped."
    (amount,) = find_amounts(text, "en")
    assert text[amount.span.start : amount.span.end] == "$3 billion"
    assert text[amount.sentence.start : amount.sentence.end] == "The fund spent $3 billion."


def test_given_sentences_are_used() -> None:
    text = "It spent $3 billion. More later."
    (amount,) = find_amounts(text, "en", [Span(0, 20), Span(21, 32)])
    assert amount.sentence == Span(0, 20)


def test_sorted_by_offset() -> None:
    text = "Ze kregen € 5 miljoen, daarna $7 miljoen en later 9 miljoen dollar."
    starts = [a.span.start for a in find_amounts(text, "nl")]
    assert starts == sorted(starts) and len(starts) == 3


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_spans_are_consistent(text: str) -> None:
    for lang in ("en", "fr", "id"):
        for amount in find_amounts(text, lang):
            assert text[amount.span.start : amount.span.end] == amount.text
            assert amount.sentence.start <= amount.span.start <= amount.span.end <= amount.sentence.end


_MONEYISH = st.text(alphabet="0123456789.,  \u202f$€£Rp milliardsbntoe-", max_size=40)


@settings(max_examples=300, deadline=None)
@given(_MONEYISH, st.sampled_from(["nl", "fr", "id", "en", "de", "es", "zz"]))
def test_money_like_noise_is_safe(text: str, lang: str) -> None:
    for amount in find_amounts(text, lang):
        assert text[amount.span.start : amount.span.end] == amount.text
        assert amount.value >= 0
        if amount.value_min is not None:
            assert amount.value_min < amount.value


# A bare scaled number in an article that has named one currency, followed by money words or punctuation,
# is an amount in that currency; with two currencies named, or a counted noun after it, it is not.
CONTEXT = [
    (
        "fr",
        "Le groupe a vendu pour 12 milliards de dollars. Les centres de données ont rapporté 9,5 milliards de revenus.",
        [A("12 milliards de dollars", 12_000_000_000, "USD"), A("9,5 milliards", 9_500_000_000, "USD", implicit=True)],
    ),
    (
        "it",
        "Il piano vale 3 miliardi di euro. Per la fabbrica sono previsti 1,2 miliardi di investimenti.",
        [A("3 miliardi di euro", 3_000_000_000, "EUR"), A("1,2 miliardi", 1_200_000_000, "EUR", implicit=True)],
    ),
    (
        "en",
        "The firm raised $2 billion. Its chatbot now has 1.5 billion users.",
        [A("$2 billion", 2_000_000_000, "USD")],
    ),
    (
        "es",
        "Invierte 500 millones de euros y 300 millones de dólares. El resto, 200 millones, llegará después.",
        [A("500 millones de euros", 500_000_000, "EUR"), A("300 millones de dólares", 300_000_000, "USD")],
    ),
    # where a counted noun needs a joiner ("de", "di"), any other word after the number describes the sum
    (
        "fr",
        "Les ventes ont atteint 21 milliards de dollars, contre 19,4 milliards attendus, pour 3 milliards d'abonnés.",
        [
            A("21 milliards de dollars", 21_000_000_000, "USD"),
            A("19,4 milliards", 19_400_000_000, "USD", implicit=True),
        ],
    ),
    (
        "it",
        "Il fatturato è salito a 6,1 miliardi di euro (erano 5,3 miliardi un anno fa) con 2 miliardi di clienti.",
        [A("6,1 miliardi di euro", 6_100_000_000, "EUR"), A("5,3 miliardi", 5_300_000_000, "EUR", implicit=True)],
    ),
    (
        "pt",
        "A receita foi de 4 mil milhões de euros, contra 3,8 mil milhões previstos, e 900 milhões de utilizadores.",
        [A("4 mil milhões de euros", 4_000_000_000, "EUR"), A("3,8 mil milhões", 3_800_000_000, "EUR", implicit=True)],
    ),
    (
        "en",
        "Revenue reached $21 billion, against 19.4 billion expected, from 3 billion subscribers.",
        [A("$21 billion", 21_000_000_000, "USD")],  # English counts without a joiner: "billion expected" stays out
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CONTEXT)
def test_a_bare_scaled_number_takes_the_articles_only_currency(lang: str, text: str, expected: list[Expected]) -> None:
    assert _found(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Lumora investerar 2 mdkr i Norrbotten.", "2000000000"),
        ("Bolaget tog in 300 mnkr från fonden.", "300000000"),
        ("En order på 45 Mkr gick till Umeå.", "45000000"),
        ("Vinsten blev 500 tkr.", "500000"),
    ],
)
def test_swedish_scales_written_onto_the_currency(text: str, value: str) -> None:
    """``glued_scales`` + ``glued_currencies`` in money/sv.json: "mdkr" is miljarder kronor."""
    assert [(a.value, a.currency) for a in find_amounts(text, "sv")] == [(Decimal(value), "SEK")]


def test_a_glued_scale_needs_its_currency_right_after_it() -> None:
    assert find_amounts("Ett rör på 5 m i längd och 3 md i höjd.", "sv") == []


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Le groupe engage 12 milliards MAD dans un campus près de Tanger.", ("12 milliards MAD", "MAD")),
        ("en", "The operator will spend TRY 40 billion on three halls near Izmir.", ("TRY 40 billion", "TRY")),
        ("en", "A 900 million Kenyan shillings loan funds the Nairobi site.", ("900 million Kenyan shillings", "KES")),
        ("es", "Aporta 3.000 millones de dírhams marroquíes.", ("3.000 millones de dírhams marroquíes", "MAD")),
        ("de", "Geplant sind zehn Milliarden Türkische Lira.", ("zehn Milliarden Türkische Lira", "TRY")),
    ],
)
def test_every_current_currency_by_code_and_cldr_name(lang: str, text: str, expected: tuple[str, str]) -> None:
    """Codes and names of all legal tenders come from CLDR, not only the hand-listed ones of common.json."""
    assert [(a.text, a.currency) for a in find_amounts(text, lang)] == [expected]


def test_a_code_that_names_a_known_organization_stays_the_organization() -> None:
    """AMD is the Armenian dram's code and a chipmaker of the gazetteer: next to a number it is not money."""
    assert find_amounts("AMD 300 million units shipped, the report says.", "en") == []


def test_german_currency_names_in_any_case() -> None:
    """CLDR gives "Australischer Dollar"; running German declines it ("von fünf Milliarden Australischen Dollar")."""
    found = find_amounts("Der Betreiber sagte Investitionen von fünf Milliarden Australischen Dollar zu.", "de")
    assert [(a.text, a.value, a.currency) for a in found] == [
        ("fünf Milliarden Australischen Dollar", Decimal(5_000_000_000), "AUD")
    ]


def test_a_list_member_before_an_elided_word_keeps_the_currency() -> None:
    """ "e poi 1 miliardo all'inizio del 2026": the bare member takes the list's currency (Italian elision)."""
    text = "Il fondo ha versato 4 miliardi di dollari, prima 3 miliardi di dollari e poi 1 miliardo all'inizio del 2026"
    assert [(a.text, a.currency, a.currency_implicit) for a in find_amounts(text, "it")][-1] == (
        "1 miliardo",
        "USD",
        True,
    )


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Le royaume mobilise 8 milliards de dirhams pour ses centres de données.", "MAD"),
        ("Le fonds apporte 5 milliards de dirhams émiratis.", "AED"),
    ],
)
def test_french_dirhams(text: str, currency: str) -> None:
    """In French a bare dirham is Morocco's; the Emirates' is named as such."""
    assert [a.currency for a in find_amounts(text, "fr")] == [currency]
