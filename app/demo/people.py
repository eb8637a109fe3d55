"""Made-up people for demo visits: Polish, Ukrainian, Russian-speaking and other names, with
e-mail addresses and E.164 phone numbers, none of them shared by two people.

E-mail domains are reserved ones (RFC 2606 and RFC 6761: ``example.*``, ``*.example``), so that
a demo installation with real SMTP settings never writes to anybody's real mailbox.
"""

import random
from dataclasses import dataclass

from app.booking.people import email_key


def words(text: str) -> list[str]:
    return text.split()


# Origin → (female first names, male first names, surnames). Polish surnames ending in -ski,
# -cki or -dzki take -ska, -cka, -dzka for women; Russian ones take -a. Ukrainian names are
# written as in Ukrainian passports (the official transliteration of 2010).
POLISH = (
    words(
        "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Magdalena Elżbieta Joanna "
        "Aleksandra Monika Zofia Natalia Julia Karolina Marta Beata Dorota Justyna Renata Iwona "
        "Halina Paulina Weronika Helena Danuta"
    ),
    words(
        "Piotr Krzysztof Andrzej Tomasz Paweł Jan Michał Marcin Stanisław Jakub Adam Marek Łukasz "
        "Grzegorz Mateusz Wojciech Mariusz Dariusz Zbigniew Kamil Józef Rafał Robert Szymon Jerzy "
        "Bartosz Sebastian Ryszard"
    ),
    words(
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek "
        "Piotrowski Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski "
        "Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak Górski "
        "Witkowski Walczak Sikora Baran Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak "
        "Marciniak Wróblewski Zalewski Jakubowski Jasiński Zawadzki Sadowski Bąk Chmielewski "
        "Włodarczyk Borkowski Czarnecki Sawicki Sokołowski Urbański Kubiak Maciejewski Szczepański "
        "Kucharski Wilk Kalinowski Lis Mazurek Wysocki Adamski Kaźmierczak Wasilewski Sobczak "
        "Czerwiński Andrzejewski Cieślak Głowacki Zakrzewski Kołodziej Sikorski Krajewski Gajewski "
        "Szulc Szczepaniak Baranowski Laskowski Brzeziński Makowski Ziółkowski Przybylski"
    ),
)
UKRAINIAN = (
    words(
        "Olena Iryna Nataliia Oksana Tetiana Kateryna Yuliia Anastasiia Svitlana Mariia Viktoriia "
        "Halyna Liudmyla Daryna Sofiia Alina Khrystyna Valentyna Larysa Inna Vira Nadiia"
    ),
    words(
        "Oleksandr Andrii Serhii Volodymyr Dmytro Oleh Mykola Ivan Vasyl Yurii Bohdan Taras "
        "Maksym Vitalii Roman Ihor Petro Artem Denys Yaroslav Mykhailo Anatolii"
    ),
    words(
        "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Boiko Kovalchuk Melnyk Oliinyk "
        "Lysenko Moroz Savchenko Rudenko Marchenko Polishchuk Tkachuk Petrenko Kravets Hnatiuk "
        "Pavlenko Kushnir Ponomarenko Levchenko Kharchenko Klymenko Shevchuk Honchar Romaniuk "
        "Symonenko Martyniuk Lytvynenko Sydorenko Hrytsenko Zinchenko Panchenko Yakovenko "
        "Moskalenko Vasylenko Demchenko Karpenko Ostapchuk Kuzmenko Shapoval Stepaniuk Prokopenko"
    ),
)
RUSSIAN = (
    words(
        "Natalia Olga Elena Tatiana Irina Svetlana Anna Yulia Ekaterina Marina Anastasia Viktoria"
    ),
    words(
        "Aleksei Dmitrii Sergei Andrei Pavel Mikhail Nikolai Ivan Artem Vladimir Evgenii Konstantin"
    ),
    words(
        "Ivanov Smirnov Kuznetsov Popov Volkov Novikov Morozov Sokolov Lebedev Kozlov Orlov "
        "Pavlov Fedorov Egorov Belov Zaitsev Vasiliev Makarov Nikitin Frolov"
    ),
)
INTERNATIONAL = (
    words("Emily Sarah Maria Priya Aisha Fatima Grace Ana Sofia Leila Chloe Amara Mei Nour"),
    words("John David Michael Rahul Ahmed Carlos Daniel Kwame Luca Omar Arjun Thomas Diego Yusuf"),
    words(
        "Smith Johnson Brown Williams Garcia Patel Singh Khan Nguyen Okafor Silva Fernandes "
        "Hernandez Kim Rossi Müller Haddad Mensah Kumar Lopez Demir Tanaka"
    ),
)
NAMES = {"pl": POLISH, "ua": UKRAINIAN, "ru": RUSSIAN, "intl": INTERNATIONAL}

# Domain → weight, by origin: reserved names shaped like the providers each group uses.
DOMAINS = {
    "pl": {"poczta.example": 30, "wp.example": 20, "onet.example": 15, "interia.example": 12,
           "o2.example": 10, "example.com": 13},
    "ua": {"poczta.example": 35, "ukr.example": 30, "example.com": 25, "i.example": 10},
    "ru": {"poczta.example": 40, "mail.example": 30, "example.com": 30},
    "intl": {"example.com": 45, "example.org": 25, "example.net": 30},
}  # fmt: skip

# Mobile prefixes (E.164 without "+"): Polish networks' ranges, Ukrainian operators' codes.
POLISH_MOBILE = ("4850", "4851", "4853", "4857", "4860", "4866", "4869", "4872", "4873",
                 "4878", "4879", "4888", "4845")  # fmt: skip
UKRAINIAN_MOBILE = ("38050", "38063", "38066", "38067", "38068", "38073", "38093", "38095",
                    "38096", "38097", "38098", "38099")  # fmt: skip

ASCII = str.maketrans("ąćęłńóśźżüöäéÄÖÜĄĆĘŁŃÓŚŹŻ", "acelnoszzuoaeAOUACELNOSZZ")


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str


def female_form(surname: str, origin: str) -> str:
    if origin == "pl" and surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    if origin == "ru":
        return surname + "a"
    return surname


class People:
    """Makes people with e-mail addresses and phones no one else has (as the rules see them)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.email_keys: set[str] = set()
        self.phones: set[str] = set()

    def make(self, origin: str) -> Person:
        rng = self.rng
        women, men, surnames = NAMES[origin]
        female = rng.random() < 0.55  # more women than men come to the office's desks
        first = rng.choice(women if female else men)
        last = rng.choice(surnames)
        if female:
            last = female_form(last, origin)
        return Person(f"{first} {last}", self.email(first, last, origin), self.phone(origin))

    def email(self, first: str, last: str, origin: str) -> str:
        rng = self.rng
        first, last = first.translate(ASCII).lower(), last.translate(ASCII).lower()
        domains = DOMAINS[origin]
        local = rng.choice(
            [f"{first}.{last}", f"{first}{last}", f"{first[0]}.{last}", f"{last}.{first}",
             f"{first}_{last}", f"{first[0]}{last}", f"{first}.{last}{rng.randint(1, 99)}",
             f"{last}{rng.randint(60, 99)}"]
        )  # fmt: skip
        while True:
            domain = rng.choices(list(domains), weights=list(domains.values()))[0]
            address = f"{local}@{domain}"
            if email_key(address) not in self.email_keys:
                self.email_keys.add(email_key(address))
                return address
            local = f"{local}{rng.randint(1, 9)}"

    def phone(self, origin: str) -> str:
        # Most people from Ukraine living in Poland have a Polish number by now.
        ukrainian = origin == "ua" and self.rng.random() < 0.35
        prefixes = UKRAINIAN_MOBILE if ukrainian else POLISH_MOBILE
        while True:
            prefix = self.rng.choice(prefixes)
            digits = "".join(
                self.rng.choices("0123456789", k=(12 if ukrainian else 11) - len(prefix))
            )
            phone = f"+{prefix}{digits}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone
