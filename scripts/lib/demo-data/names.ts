// Names for the generated demo data. Organisations are invented (no real hospital is named);
// people's names are common Slovene first names and surnames, with some names of families from the
// former Yugoslav republics, as in Slovene hospitals.
import type { ProfessionValue } from "../../../app/utils/roles.ts";

export const FEMALE_FIRST_NAMES = [
  "Ana", "Maja", "Eva", "Nina", "Sara", "Petra", "Mojca", "Katja", "Tanja", "Barbara", "Urška", "Špela", "Tjaša", "Nataša",
  "Jasna", "Mateja", "Andreja", "Alenka", "Bojana", "Darja", "Irena", "Jožica", "Ksenija", "Lea", "Lara", "Manca", "Metka",
  "Mira", "Nika", "Polona", "Sabina", "Simona", "Saša", "Tina", "Vesna", "Zala", "Živa", "Anja", "Neža", "Teja", "Klara",
  "Helena", "Marija", "Milena", "Vida", "Brigita", "Danijela", "Gordana", "Jerneja", "Karmen", "Lucija", "Monika", "Nuša",
  "Patricija", "Renata", "Sonja", "Suzana", "Tamara", "Valentina", "Zdenka", "Ajda", "Hana", "Brina", "Tea", "Pia", "Žana",
  "Gaja", "Kristina", "Tatjana", "Romana", "Marjeta", "Štefka", "Ljudmila", "Vanja",
] as const;

export const MALE_FIRST_NAMES = [
  "Luka", "Matej", "Marko", "Rok", "Jan", "Žiga", "Nejc", "Tomaž", "Gregor", "Primož", "Andrej", "Aleš", "Boštjan", "Blaž",
  "David", "Jure", "Jernej", "Klemen", "Miha", "Matjaž", "Peter", "Robert", "Sašo", "Simon", "Uroš", "Urban", "Tilen", "Anže",
  "Gašper", "Jakob", "Janez", "Jože", "Franc", "Igor", "Iztok", "Dejan", "Damjan", "Bojan", "Borut", "Dušan", "Mitja", "Nik",
  "Tim", "Vid", "Žan", "Aljaž", "Erik", "Filip", "Denis", "Goran", "Milan", "Zoran", "Mirko", "Stanko", "Alojz", "Benjamin",
  "Lovro", "Domen", "Enej", "Črt", "Ažbe",
] as const;

export const SURNAMES = [
  "Novak", "Horvat", "Kovačič", "Krajnc", "Zupančič", "Potočnik", "Kovač", "Mlakar", "Kos", "Vidmar", "Golob", "Turk", "Kralj",
  "Božič", "Korošec", "Zupan", "Bizjak", "Hribar", "Kotnik", "Kavčič", "Rozman", "Kastelic", "Oblak", "Petek", "Žagar",
  "Kolar", "Košir", "Hočevar", "Koren", "Klemenčič", "Zajc", "Knez", "Medved", "Zorko", "Petrič", "Rupnik", "Kuhar", "Pirc",
  "Sever", "Lesjak", "Hrovat", "Žnidaršič", "Dolenc", "Jerman", "Erjavec", "Pavlič", "Jereb", "Majcen", "Tomažič", "Uršič",
  "Babič", "Kobal", "Zalokar", "Kranjc", "Breznik", "Vovk", "Zadravec", "Kokalj", "Lah", "Kolenc", "Čeh", "Černe", "Černič",
  "Šuštar", "Štrukelj", "Šinkovec", "Škof", "Šemrov", "Šubic", "Šimenc", "Žibert", "Žerjav", "Žužek", "Jenko", "Gregorič",
  "Bezjak", "Cerar", "Debeljak", "Ferjan", "Gorenc", "Hren", "Ilc", "Jamnik", "Javornik", "Kern", "Kunej", "Lavrič", "Logar",
  "Mavrič", "Meglič", "Mihelič", "Mrak", "Nemec", "Ogrinc", "Pečnik", "Perko", "Pintar", "Planinc", "Podgoršek", "Povše",
  "Primc", "Rakovec", "Razpotnik", "Remic", "Ribič", "Rogelj", "Sitar", "Skok", "Slak", "Stopar", "Strnad", "Tavčar", "Trček",
  "Trobec", "Urbanc", "Vidic", "Vrhovnik", "Zakrajšek", "Zver", "Železnik", "Čuk", "Čretnik", "Škerjanc", "Novšak",
  "Novaković", "Hodžić", "Petrović", "Marković", "Jovanović", "Nikolić", "Kovačević", "Begić", "Hasanović", "Ilić",
  "Mehmedović", "Babić", "Novinec", "Ivanovski",
] as const;

/** Lower-case ASCII for email addresses and slugs: "Žiga Čeh" → "ziga ceh". */
export function asciiFold(text: string) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "dj")
    .replace(/Đ/g, "Dj")
    .toLowerCase();
}

export function slugify(text: string) {
  return asciiFold(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export type ProfessionWeights = ReadonlyArray<readonly [ProfessionValue, number]>;

const WARD: ProfessionWeights = [["NURSE", 66], ["PHYSICIAN", 24], ["MIDWIFE", 1], ["OTHER", 9]];
const MATERNITY: ProfessionWeights = [["NURSE", 38], ["PHYSICIAN", 17], ["MIDWIFE", 40], ["OTHER", 5]];
const SUPPORT: ProfessionWeights = [["NURSE", 30], ["PHYSICIAN", 20], ["MIDWIFE", 0], ["OTHER", 50]];

export type DepartmentTemplate = { name: string; professions: ProfessionWeights; size: number };

const department = (name: string, size: number, professions: ProfessionWeights = WARD): DepartmentTemplate => ({ name, size, professions });

const HOSPITAL_DEPARTMENTS: DepartmentTemplate[] = [
  department("Urgenca", 6),
  department("Interna medicina", 8),
  department("Kirurgija", 7),
  department("Pediatrija", 5),
  department("Ginekologija in porodništvo", 5, MATERNITY),
  department("Psihiatrija", 3),
  department("Anesteziologija in intenzivna terapija", 5),
  department("Ortopedija", 3),
  department("Nevrologija", 3),
  department("Infekcijske bolezni", 2),
  department("Onkologija", 3),
  department("Kardiologija", 3),
  department("Neonatologija", 2, MATERNITY),
  department("Radiologija", 2, SUPPORT),
  department("Otorinolaringologija", 2),
  department("Urologija", 2),
  department("Operacijski blok", 4),
];

const HEALTH_CENTRE_DEPARTMENTS: DepartmentTemplate[] = [
  department("Družinska medicina", 8),
  department("Nujna medicinska pomoč", 4),
  department("Patronažna služba", 4, [["NURSE", 90], ["PHYSICIAN", 0], ["MIDWIFE", 6], ["OTHER", 4]]),
  department("Pediatrija", 4),
  department("Ginekologija", 3, MATERNITY),
  department("Referenčne ambulante", 3, [["NURSE", 85], ["PHYSICIAN", 5], ["MIDWIFE", 0], ["OTHER", 10]]),
  department("Medicina dela", 2),
  department("Center za duševno zdravje", 2, SUPPORT),
  department("Zobozdravstvo", 3, SUPPORT),
  department("Fizioterapija", 2, SUPPORT),
  department("Laboratorij", 2, SUPPORT),
];

const PSYCHIATRIC_DEPARTMENTS: DepartmentTemplate[] = [
  department("Sprejemni oddelek", 4),
  department("Psihiatrija odvisnosti", 3),
  department("Gerontopsihiatrija", 3),
  department("Pedopsihiatrija", 2),
  department("Forenzična psihiatrija", 2),
  department("Dnevna bolnišnica", 2, SUPPORT),
  department("Psihiatrična ambulanta", 2),
  department("Psihosocialna rehabilitacija", 2, SUPPORT),
];

export type OrganisationTemplate = {
  name: string;
  /** share of the learners, relative to the others */
  size: number;
  departments: DepartmentTemplate[];
  /** how many of the departments above it has */
  departmentCount: readonly [number, number];
};

/** The first is the largest: the organisation benches and demos log in to. */
export const ORGANISATIONS: OrganisationTemplate[] = [
  { name: "Univerzitetni klinični center Podlipa", size: 38, departments: HOSPITAL_DEPARTMENTS, departmentCount: [13, 15] },
  { name: "Splošna bolnišnica Gorjanci", size: 20, departments: HOSPITAL_DEPARTMENTS, departmentCount: [9, 12] },
  { name: "Zdravstveni dom Radovna", size: 12, departments: HEALTH_CENTRE_DEPARTMENTS, departmentCount: [7, 9] },
  { name: "Splošna bolnišnica Kozjak", size: 14, departments: HOSPITAL_DEPARTMENTS, departmentCount: [8, 11] },
  { name: "Zdravstveni dom Snežnik", size: 8, departments: HEALTH_CENTRE_DEPARTMENTS, departmentCount: [5, 8] },
  { name: "Psihiatrična bolnišnica Krnica", size: 4, departments: PSYCHIATRIC_DEPARTMENTS, departmentCount: [5, 7] },
  { name: "Zdravstveni dom Bohor", size: 6, departments: HEALTH_CENTRE_DEPARTMENTS, departmentCount: [5, 8] },
  { name: "Splošna bolnišnica Sotla", size: 10, departments: HOSPITAL_DEPARTMENTS, departmentCount: [8, 11] },
];

export const REVOCATION_REASONS = [
  "Potrdilo je bilo izdano napačni osebi.",
  "Preizkus znanja je opravila druga oseba; potrdilo ni veljavno.",
  "Podvojena prijava: veljavno je potrdilo iz druge prijave.",
  "Na zahtevo strokovnega vodje zaradi ponovnega preverjanja znanja.",
] as const;
