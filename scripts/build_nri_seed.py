"""Rebuild seed_data/nri.yaml, the NRI part of the bundled seed, from the saved copy below.

The saved copy (``SOURCES`` and ``NRIS``) is a transcription of what was read of the IGF's NRI
listings and of the few other pages that name NRIs, through the project's search tool, whose
stored page copies were read on 2026-12-02 (the stored copies carry no date of their own;
their content dates them: the African and Eastern European group pages list annual meetings
up to December 2024). Only the opening part of each stored page could be read, so the lists
are partial: seed_data/README.md says exactly what was read and what is missing. A second
round (same date) added NRIs named on further IGF pages, own pages and news, the NRIs' main
and coordination sessions at IGF 2024/2025, and the UN regional groups' membership.

To refresh: re-read the pages listed in SOURCES (or their successors), edit SOURCES/NRIS to
match, update READ_ON, then run

    python scripts/build_nri_seed.py          # writes seed_data/nri.yaml
    python -m mapper.cli validate seed_data
    python -m pytest tests/test_seed_data.py -q

Conventions (see seed_data/README.md, "NRIs"):
- every NRI is an entity of type ``nri`` PART_OF ``nri-network``;
- ``tags`` carry ``nri-kind:<national|regional|sub-regional|youth>``,
  ``un-region:<African|Asia-Pacific|EEG|GRULAC|WEOG>`` when an IGF regional-group page lists it,
  or else from the membership of the UN regional groups (``UN_GROUP_BASIS``, which adds the
  membership source to the NRI), else ``un-region:unassigned``, ``established:<year>`` when a source gives the year, and
  ``igf-listing:<listed|named|unconfirmed>`` (on an IGF listing page; named as an NRI on
  another IGF page; only the initiative's own or a third-party page);
- ``region`` is the area the NRI covers and ``country`` its ISO 3166-1 alpha-2 code.
"""

from __future__ import annotations

import sys
from pathlib import Path

READ_ON = "2026-12-02"
OUT = Path(__file__).resolve().parent.parent / "seed_data" / "nri.yaml"

# id, kind, title, url, locator (or ""), date (or "")
SOURCES = [
    (
        "igf-nri-african-group",
        "igf_mapping",
        "IGF NRIs: African Regional Group, national IGFs (current IGF site)",
        "https://media.intgovforum.org/en/content/african-regional-group",
        "opening entries read: Benin to Comoros",
        "",
    ),
    (
        "igf-nri-african-group-fr",
        "igf_mapping",
        "IGF NRIs: African Regional Group, national IGFs (French-language copy)",
        "https://media.intgovforum.org/fr/content/african-regional-group",
        "opening entries read: Benin to Ghana",
        "",
    ),
    (
        "igf-nri-african-group-legacy",
        "igf_mapping",
        "IGF NRIs: National IGFs in African Regional Group (legacy IGF site)",
        "https://www.intgovforum.org/multilingual/ar/content/african-regional-group",
        "opening entries read: Benin to Cote d'Ivoire (2021 meetings)",
        "",
    ),
    (
        "igf-nri-eeg-group",
        "igf_mapping",
        "IGF NRIs: Eastern European Regional Group, national IGFs (current IGF site)",
        "https://media.intgovforum.org/en/content/eastern-european-regional-group",
        "opening entries read: Albania to Croatia",
        "",
    ),
    (
        "igf-nri-regional-list",
        "igf_mapping",
        "IGF NRIs: Regional IGF Initiatives (regional and sub-regional IGFs, current IGF site)",
        "https://www.intgovforum.org/en/content/regional-igf-initiatives",
        "opening entries read: Lusophone IGF, AfIGF, Arab IGF",
        "",
    ),
    (
        "igf-nri-regional-list-legacy",
        "igf_mapping",
        "IGF NRIs: Regional IGF Initiatives (19), legacy IGF site",
        "https://www.intgovforum.org/multilingual/content/regional-igf-initiatives",
        "heading count (19) and opening entries read: AfIGF, Arab IGF, APrIGF",
        "",
    ),
    (
        "igf-youth-list",
        "igf_mapping",
        "IGF: Youth IGF Initiatives (23)",
        "https://www.intgovforum.org/en/content/youth-igf-initiatives",
        "heading count (23) and opening entries read: Netherlands Youth IGF, German Youth IGF",
        "",
    ),
    (
        "igf-youth-list-review",
        "igf_mapping",
        "IGF: Youth Initiatives (review copy of the IGF site)",
        "https://review.intgovforum.org/zh-hans/content/youth-initiatives",
        "opening entries read: Youth IGF Afghanistan, YIGF Africa, Albania Youth IGF",
        "",
    ),
    (
        "igf-nris-meeting-2020-01-09",
        "official_website",
        "IGF NRIs virtual meeting I, 9 January 2020 (summary)",
        "https://www.intgovforum.org/multilingual/content/nris-meeting-i",
        "para 2: newly recognised NRIs; 125 recognised (88 national, 18 regional, 19 youth)",
        "2020-01-09",
    ),
    (
        "igf-nris-meeting-2017-03-03",
        "official_website",
        "Informal gathering of the NRIs, meeting III, 3 March 2017 (summary)",
        "https://info.intgovforum.org/en/content/nris-meeting-iii-3-march-2017",
        "",
        "2017-03-03",
    ),
    (
        "igf-nris-vm-2017-06-29",
        "official_website",
        "NRIs virtual meeting IX, 29 June 2017 (summary)",
        "https://info.intgovforum.org/en/content/igf-nris-vm-ix",
        "",
        "2017-06-29",
    ),
    (
        "igf-nris-vm-2018-03-28",
        "official_website",
        "NRIs virtual meeting II, 28 March 2018 (summary)",
        "https://www.intgovforum.org/multilingual/content/nris-virtual-meeting-ii-28-march-2018",
        "",
        "2018-03-28",
    ),
    (
        "digwatch-igf2023-nri-coordination",
        "news",
        "NRIs Coordination Session, IGF 2023 (Digital Watch)",
        "https://wp.dig.watch/event/internet-governance-forum-2023/nris-coordination-session-igf-2023",
        "speakers: network of 160 national, regional, sub-regional and youth IGFs",
        "2023-10-08",
    ),
    (
        "undesa-igf2025-opening",
        "official_website",
        "UN DESA: remarks at the opening session of the 20th IGF",
        "https://www.un.org/en/desa-en/remarks-opening-session-20th-internet-governance-forum",
        "176 national, subregional, regional and youth IGF initiatives",
        "",
    ),
    (
        "digwatch-igf2025-nri-coordination",
        "news",
        "IGF 2025 Day 0 Event #271, NRIs Coordination Session: exchanging good practices (Digital Watch)",
        "https://dig.watch/event/internet-governance-forum-2025/day-0-event-271-large-models-and-small-player-leveraging-ai-in-small-states-and-startups",
        "",
        "2025-06-23",
    ),
    (
        "igf-newsletter-2025-12",
        "official_website",
        "IGF monthly newsletter, December 2025 (IGF Secretariat, PNAI list archive)",
        "https://mail.intgovforum.org/pipermail/pnai_intgovforum.org/2025-December/000739.html",
        "WSIS+20 High-Level Meeting item",
        "2025-12-18",
    ),
    (
        "seedig-national-igfs",
        "self_report",
        "SEEDIG: national IGF initiatives in South Eastern Europe and the neighbouring area",
        "https://seedig.net/national-igf-initiatives/",
        "list of national IGFs as recognised by the global IGF",
        "2017-12-27",
    ),
    (
        "waigf-about",
        "self_report",
        "West African Internet Governance Forum: about us",
        "https://waigf.ecowas.int/about-us/",
        "",
        "",
    ),
    (
        "saigf-nigfs",
        "self_report",
        "Southern Africa Internet Governance Forum (SAIGF): national IGFs",
        "http://saigf.org/nigfs.php",
        "",
        "",
    ),
    (
        "zigf-launch",
        "self_report",
        "Launch of the Zimbabwe Internet Governance Forum (ZIGF)",
        "http://www.zigf.org.zw/about-zigf/launch-zigf",
        "",
        "",
    ),
    (
        "zigf-definition",
        "self_report",
        "Definition of ZIGF (Zimbabwe IGF)",
        "http://zigf.org.zw/about-zigf/definition-zigf",
        "",
        "",
    ),
    (
        "svg-igf-about",
        "self_report",
        "St Vincent and the Grenadines IGF: about",
        "http://igf.isoc.vc/about/",
        "",
        "",
    ),
    (
        "nicat-igf-austria",
        "self_report",
        "IGF Austria (nic.at)",
        "https://www.nic.at/de/wissenswertes/internet-governance/igf-austria",
        "",
        "",
    ),
    (
        "lacnic-uruguay-igf",
        "secondary",
        "LACNIC blog: national Internet Governance Forums in preparation for the regional IGF",
        "https://blog.lacnic.net/en/national-internet-governance-forums-in-preparation-for-the-regional-igf/",
        "",
        "",
    ),
    (
        "diplo-lacigf-2012",
        "secondary",
        "Diplo blog: LACIGF, regional IGF success (11 October 2012)",
        "https://www.diplomacy.edu/blog/lacigf-regional-igf-success-rp-success/",
        "",
        "2012-10-11",
    ),
    (
        "igradar-eurodig",
        "secondary",
        "Internet Governance Radar: the IGF, NRIs and EuroDIG",
        "https://internet-governance-radar.de/en/about/institutions/detail-view/igf-internet-governance-forum-1",
        "",
        "",
    ),
    # --- added in the second round (read on 2026-12-02): more IGF pages naming NRIs ---
    (
        "igf-nris-vm-2016-12-20",
        "official_website",
        "NRIs virtual meeting XIII, 20 December 2016 (summary)",
        "https://info.intgovforum.org/en/content/virtual-meeting-xiii-20-december-2016",
        "paras 5-8: updates from the UK IGF, the national IGF of Sri Lanka, the Croatian IGF and SEEDIG",
        "2016-12-20",
    ),
    (
        "igf-nris-vm-2017-12-12",
        "official_website",
        "NRIs virtual meeting XVI, 12 December 2017 (summary)",
        "http://www.intgovforum.org/multilingual/content/nris-virtual-meeting-xvi",
        "coordinators of IGF-USA, Armenia IGF, SEEDIG, Portugal IGF and the Italian IGF",
        "2017-12-12",
    ),
    (
        "igf-2024-nri-main-session",
        "official_website",
        "IGF 2024, Day 4, main session: Evolving Role of NRIs in Multistakeholder Digital Governance (transcript)",
        "https://apps.intgovforum.org/en/content/igf-2024-day-4-plenary-main-session-evolving-role-of-nris-in-multistakeholder-digital",
        "opening: over 174 NRIs; first speaker the Chair of the Lebanon IGF, part of the Arab IGF",
        "",
    ),
    (
        "digwatch-igf2024-nri-main-session",
        "news",
        "NRI Main Session: Evolving Role of NRIs in Multistakeholder Digital Governance, IGF 2024 (Digital Watch)",
        "https://dig.watch/event/internet-governance-forum-2024/nri-main-session-evolving-role-of-nris-in-multistakeholder-digital-governance",
        "summary: WSIS+20 review and Global Digital Compact discussed",
        "",
    ),
    (
        "digwatch-igf2024-nri-coordination",
        "news",
        "IGF 2024 NRIs Coordination Session (Digital Watch)",
        "https://dig.watch/?p=197322",
        "summary and key points: NRIs in GDC implementation and the WSIS+20 review",
        "2024-12-15",
    ),
    (
        "igf-2025-nri-main-session",
        "official_website",
        "IGF 2025, Day 3, Plenary Hall: Multistakeholder digital governance beyond 2025, co-organised by NRIs (transcript)",
        "https://multilingualbak.intgovforum.org/ru/content/igf-2025-day-3-plenary-hall-multistakeholder-digital-governance-beyond-2025-co-organized-by",
        "opening: moderator from the North Africa IGF and the Arab IGF; over 176 NRIs",
        "",
    ),
    (
        "digwatch-igf2025-nri-main-session",
        "news",
        "Multistakeholder digital governance beyond 2025, IGF 2025 NRI main session (Digital Watch)",
        "https://dig.watch/?p=217588",
        "summary: WSIS+20 and the Global Digital Compact as frameworks discussed",
        "2025-06-26",
    ),
    (
        "giswatch-2017-preface",
        "secondary",
        "GISWatch 2017 (NRIs): preface (APC)",
        "https://giswatch.org/en/report-introduction/preface-6",
        "2008: national forums in Kenya, Uganda, Tanzania and Rwanda and a subsequent East African IGF",
        "",
    ),
    (
        "bangladesh-igf-2020",
        "self_report",
        "Bangladesh Internet Governance Forum 2020",
        "http://bangladeshigf.org/2020/",
        "",
        "",
    ),
    (
        "soc-bangladesh-youth-igf-2023",
        "news",
        "Third Bangladesh Youth Internet Governance Forum starts (Sound of Community)",
        "http://soundofcommunity.com/?p=25516",
        "",
        "2023-05-26",
    ),
    (
        "bs-india-igf-2021",
        "news",
        "India chapter of Internet Governance Forum launched (Business Standard)",
        "https://www.business-standard.com/article/economy-policy/india-chapter-of-internet-governance-forum-launched-to-host-3-day-session-121080900798_1.html",
        "",
        "2021-08-09",
    ),
    (
        "nigf-about",
        "self_report",
        "Nigeria Internet Governance Forum (NIGF): about",
        "https://igf.ng/aboutnigf",
        "",
        "",
    ),
    (
        "kigf-2019-programme",
        "self_report",
        "Kenya Internet Governance Forum 2019: programme and background",
        "https://kigf.or.ke/front-page-features/kenya-igf/kenya-igf-programme-2019/",
        "section 1.0: outcomes feed into the East Africa IGF, the Africa IGF and the global IGF",
        "",
    ),
    (
        "khusoko-kigf-2021",
        "news",
        "KICTANet to host 15th edition of Kenya Internet Governance Forum (Khusoko)",
        "https://khusoko.com/2021/09/13/kictanet-to-host-15th-edition-of-kenya-internet-governance-forum/",
        "",
        "2021-09-13",
    ),
    (
        "igfd-about",
        "self_report",
        "Internet Governance Forum Deutschland (IGF-D) e.V.: about",
        "https://www.igf-d.de/ueber-igf-d-e-v/",
        "",
        "",
    ),
    # --- the membership of the UN regional groups (for un-region:, see UN_GROUP_BASIS) ---
    (
        "un-dgacm-regional-groups",
        "un_document",
        "UN DGACM: Regional groups of Member States",
        "https://www.un.org/dgacm/en/content/regional-groups",
        "read through a web mirror (fanyjok.com/dgacm/content/regional-groups): African, Asia-Pacific and Eastern "
        "European States in full; Latin American and Caribbean States only in part (21 of 33 names shown, incl. "
        "Nicaragua and Saint Vincent and the Grenadines); Western European and other States not reached; "
        "Turkiye listed under Asia-Pacific with a footnote mark",
        "",
    ),
    (
        "wikipedia-grulac",
        "secondary",
        "Wikipedia: Latin American and Caribbean Group (GRULAC)",
        "https://en.wikipedia.org/wiki/Latin_American_and_Caribbean_Group",
        "read through mirrors (2018 and 2019 snapshots): the group gathers all Latin American and Caribbean "
        "states; its ECOSOC seats 2017-2021 held by, among others, Colombia, Mexico, Uruguay and Saint Vincent "
        "and the Grenadines; its presidency held by Honduras from April 2016; the member list itself not shown",
        "",
    ),
    (
        "wikipedia-weog",
        "secondary",
        "Wikipedia: Western European and Others Group (WEOG)",
        "https://en.wikipedia.org/wiki/Western_European_and_Others_Group",
        "current and older revisions: the United States attends as an observer and is considered a member for "
        "electoral purposes; Europe is divided between the WEOG and the Eastern European Group; Turkey "
        "participates in both WEOG and the Asia-Pacific Group; the member list itself not shown",
        "",
    ),
]

# id, name, aliases, kind, country (ISO alpha-2 or ""), region, un-region, established year (or ""),
# listing (listed|named|unconfirmed), sources, description
NRIS = [
    # --- African Regional Group page (national IGFs), opening entries ---
    (
        "benin-igf",
        "Benin IGF",
        [],
        "national",
        "BJ",
        "Africa",
        "African",
        "2012",
        "listed",
        ["igf-nri-african-group", "igf-nri-african-group-fr", "igf-nri-african-group-legacy"],
        "National IGF of Benin; the IGF's listing gives 2012 as the year it was established.",
    ),
    (
        "botswana-igf",
        "Botswana IGF",
        [],
        "national",
        "BW",
        "Africa",
        "African",
        "2019",
        "listed",
        ["igf-nri-african-group", "igf-nri-african-group-fr", "igf-nri-african-group-legacy"],
        "National IGF of Botswana, established in 2019 according to the IGF's listing.",
    ),
    (
        "burkina-faso-igf",
        "Burkina Faso IGF",
        [],
        "national",
        "BF",
        "Africa",
        "African",
        "2014",
        "listed",
        ["igf-nri-african-group", "igf-nri-african-group-fr", "igf-nri-african-group-legacy"],
        "National IGF of Burkina Faso, first organised in 2014 according to the IGF's listing.",
    ),
    (
        "cabo-verde-igf",
        "Cabo Verde IGF",
        [],
        "national",
        "CV",
        "Africa",
        "African",
        "",
        "listed",
        ["igf-nri-african-group", "igf-nri-african-group-fr", "igf-nri-african-group-legacy"],
        "National IGF of Cabo Verde. The English listing says it was founded in 2020; the French "
        "copy and the legacy listing say it was recognised in 2021. No year is tagged.",
    ),
    (
        "cameroon-igf",
        "Cameroon IGF",
        [],
        "national",
        "CM",
        "Africa",
        "African",
        "2017",
        "listed",
        ["igf-nri-african-group", "igf-nri-african-group-fr", "igf-nri-african-group-legacy"],
        "National IGF of Cameroon, established in 2017 according to the IGF's listing.",
    ),
    (
        "chad-igf",
        "Chad IGF",
        [],
        "national",
        "TD",
        "Africa",
        "African",
        "2012",
        "listed",
        ["igf-nri-african-group", "igf-nri-african-group-fr", "igf-nri-african-group-legacy"],
        "National IGF of Chad, first organised in 2012 according to the IGF's listing.",
    ),
    (
        "comoros-igf",
        "Comoros IGF",
        [],
        "national",
        "KM",
        "Africa",
        "African",
        "2022",
        "listed",
        ["igf-nri-african-group", "igf-nri-african-group-fr"],
        "National IGF of the Comoros, established in 2022 according to the IGF's listing.",
    ),
    (
        "cote-divoire-igf",
        "Cote d'Ivoire IGF",
        ["Côte d'Ivoire IGF"],
        "national",
        "CI",
        "Africa",
        "African",
        "2020",
        "listed",
        ["igf-nri-african-group-legacy", "igf-nri-african-group-fr"],
        "National IGF of Cote d'Ivoire, established in 2020 according to the legacy listing. The "
        "current French copy has an entry established in 2020 at the same place in the list whose "
        "excerpt does not show the country's name.",
    ),
    (
        "drc-igf",
        "Democratic Republic of the Congo IGF",
        ["DRC IGF"],
        "national",
        "CD",
        "Africa",
        "African",
        "2017",
        "listed",
        ["igf-nri-african-group-fr"],
        "National IGF of the Democratic Republic of the Congo, established in 2017 according to the IGF's listing.",
    ),
    (
        "gabon-igf",
        "Gabon IGF",
        [],
        "national",
        "GA",
        "Africa",
        "African",
        "2015",
        "listed",
        ["igf-nri-african-group-fr"],
        "National IGF of Gabon, established in 2015 according to the IGF's listing.",
    ),
    (
        "ghana-igf",
        "Ghana IGF",
        [],
        "national",
        "GH",
        "Africa",
        "African",
        "2014",
        "listed",
        ["igf-nri-african-group-fr"],
        "National IGF of Ghana, established in 2014 according to the IGF's listing.",
    ),
    # --- Eastern European Regional Group page (national IGFs), opening entries ---
    (
        "albania-igf",
        "Albania IGF",
        [],
        "national",
        "AL",
        "Europe",
        "EEG",
        "2017",
        "listed",
        ["igf-nri-eeg-group", "igf-nris-vm-2017-06-29", "seedig-national-igfs"],
        "National IGF of Albania, established in 2017 according to the IGF's listing.",
    ),
    (
        "armenia-igf",
        "Armenia IGF",
        [],
        "national",
        "AM",
        "Europe and Central Asia",
        "EEG",
        "2015",
        "listed",
        ["igf-nri-eeg-group", "seedig-national-igfs"],
        "National IGF of Armenia, established in 2015 according to the IGF's listing.",
    ),
    (
        "azerbaijan-igf",
        "Azerbaijan IGF",
        [],
        "national",
        "AZ",
        "Europe and Central Asia",
        "EEG",
        "2014",
        "listed",
        ["igf-nri-eeg-group", "seedig-national-igfs"],
        "National IGF of Azerbaijan, established in 2014 according to the IGF's listing.",
    ),
    (
        "belarus-igf",
        "Belarus IGF",
        [],
        "national",
        "BY",
        "Europe",
        "EEG",
        "2016",
        "listed",
        ["igf-nri-eeg-group", "seedig-national-igfs"],
        "National IGF of Belarus, first organised in 2016 according to the IGF's listing; it runs an "
        "integrated Youth IGF track.",
    ),
    (
        "bosnia-herzegovina-igf",
        "Bosnia and Herzegovina IGF",
        [],
        "national",
        "BA",
        "Europe",
        "EEG",
        "2015",
        "listed",
        ["igf-nri-eeg-group", "seedig-national-igfs"],
        "National IGF of Bosnia and Herzegovina, launched in 2015 according to the IGF's listing.",
    ),
    (
        "croatia-igf",
        "Croatia IGF",
        [],
        "national",
        "HR",
        "Europe",
        "EEG",
        "2015",
        "listed",
        ["igf-nri-eeg-group", "seedig-national-igfs"],
        "National IGF of Croatia, established in 2015 according to the IGF's listing.",
    ),
    # --- national IGFs named on other IGF pages or lists ---
    (
        "georgia-igf",
        "Georgia IGF",
        [],
        "national",
        "GE",
        "Europe and Central Asia",
        "unassigned",
        "",
        "named",
        ["seedig-national-igfs"],
        "National IGF of Georgia, on SEEDIG's 2017 list of national IGFs recognised by the global IGF.",
    ),
    (
        "north-macedonia-igf",
        "North Macedonia IGF",
        ["FYR Macedonia IGF", "Macedonia IGF"],
        "national",
        "MK",
        "Europe",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2017-06-29", "seedig-national-igfs"],
        "National IGF of North Macedonia (named 'FYR Macedonia IGF' in the IGF's 2017 NRI meeting "
        "summary and on SEEDIG's 2017 list).",
    ),
    (
        "moldova-igf",
        "Moldova IGF",
        [],
        "national",
        "MD",
        "Europe",
        "unassigned",
        "",
        "named",
        ["igf-nris-meeting-2020-01-09", "seedig-national-igfs"],
        "National IGF of Moldova; the IGF Secretariat reported it among the most recently "
        "recognised NRIs in January 2020.",
    ),
    (
        "russia-igf",
        "Russia IGF",
        [],
        "national",
        "RU",
        "Europe and Central Asia",
        "unassigned",
        "",
        "named",
        ["seedig-national-igfs"],
        "National IGF of Russia, on SEEDIG's 2017 list of national IGFs recognised by the global IGF.",
    ),
    (
        "slovenia-igf",
        "Slovenia IGF",
        [],
        "national",
        "SI",
        "Europe",
        "unassigned",
        "",
        "named",
        ["seedig-national-igfs"],
        "National IGF of Slovenia, on SEEDIG's 2017 list of national IGFs recognised by the global IGF.",
    ),
    (
        "ukraine-igf",
        "Ukraine IGF",
        [],
        "national",
        "UA",
        "Europe",
        "unassigned",
        "",
        "named",
        ["seedig-national-igfs"],
        "National IGF of Ukraine, on SEEDIG's 2017 list of national IGFs recognised by the global IGF.",
    ),
    (
        "honduras-igf",
        "Honduras IGF",
        [],
        "national",
        "HN",
        "Latin America and the Caribbean",
        "unassigned",
        "",
        "named",
        ["igf-nris-meeting-2020-01-09"],
        "National IGF of Honduras; reported among the most recently recognised NRIs in January 2020.",
    ),
    (
        "china-igf",
        "China IGF",
        [],
        "national",
        "CN",
        "Asia-Pacific",
        "unassigned",
        "",
        "named",
        ["igf-nris-meeting-2020-01-09"],
        "National IGF of China; reported among the most recently recognised NRIs in January 2020.",
    ),
    (
        "mexico-igf",
        "Mexico IGF",
        [],
        "national",
        "MX",
        "Latin America and the Caribbean",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2017-06-29", "lacnic-uruguay-igf"],
        "National IGF of Mexico; its coordinator spoke at the IGF's NRI meeting of 29 June 2017.",
    ),
    (
        "japan-igf",
        "Japan IGF",
        ["IGF Japan"],
        "national",
        "JP",
        "Asia-Pacific",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2017-06-29"],
        "National IGF of Japan; its coordinator spoke at the IGF's NRI meeting of 29 June 2017.",
    ),
    (
        "netherlands-igf",
        "Netherlands IGF",
        ["NL IGF"],
        "national",
        "NL",
        "Europe",
        "unassigned",
        "",
        "named",
        ["igf-nris-meeting-2017-03-03"],
        "National IGF of the Netherlands; reported on its work at the NRIs' informal meeting of 3 March 2017.",
    ),
    (
        "igf-usa",
        "IGF-USA",
        [],
        "national",
        "US",
        "North America",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2018-03-28"],
        "National IGF of the United States; took part in the IGF's NRI meeting of 28 March 2018.",
    ),
    (
        "colombia-igf",
        "Colombia IGF",
        [],
        "national",
        "CO",
        "Latin America and the Caribbean",
        "unassigned",
        "",
        "named",
        ["digwatch-igf2025-nri-coordination", "lacnic-uruguay-igf"],
        "National IGF of Colombia; at the IGF 2025 NRIs coordination session it was cited for "
        "monthly meetings approaching their 100th session.",
    ),
    (
        "mauritius-igf",
        "Mauritius IGF",
        [],
        "national",
        "MU",
        "Africa",
        "unassigned",
        "",
        "named",
        ["digwatch-igf2025-nri-coordination"],
        "National IGF of Mauritius; at the IGF 2025 NRIs coordination session it was cited for "
        "government engagement leading to policy adoption, notably on AI.",
    ),
    (
        "zimbabwe-igf",
        "Zimbabwe IGF",
        ["ZIGF"],
        "national",
        "ZW",
        "Africa",
        "unassigned",
        "",
        "unconfirmed",
        ["zigf-launch", "zigf-definition"],
        "Zimbabwe Internet Governance Forum, launched at a multistakeholder workshop in Harare on "
        "17 June 2015 with POTRAZ as secretariat. It describes itself as falling under the SAIGF "
        "and the AfIGF. Its IGF recognition is not confirmed by an IGF page read.",
    ),
    (
        "svg-igf",
        "St Vincent and the Grenadines IGF",
        ["SVGIGF"],
        "national",
        "VC",
        "Latin America and the Caribbean",
        "unassigned",
        "2017",
        "unconfirmed",
        ["svg-igf-about"],
        "National IGF of St Vincent and the Grenadines, established in 2017 with the ISOC chapter "
        "as secretariat; its own page says the IGF Secretariat recognised it on 21 November 2017 "
        "and points to the IGF's GRULAC page, which was not read.",
    ),
    (
        "austria-igf",
        "IGF Austria",
        [],
        "national",
        "AT",
        "Europe",
        "unassigned",
        "",
        "unconfirmed",
        ["nicat-igf-austria"],
        "Internet Governance Forum Austria, an open national discussion platform (described by "
        "nic.at). Its IGF recognition is not confirmed by an IGF page read.",
    ),
    (
        "uruguay-igf",
        "IGF Uruguay",
        [],
        "national",
        "UY",
        "Latin America and the Caribbean",
        "unassigned",
        "",
        "unconfirmed",
        ["lacnic-uruguay-igf"],
        "First edition reported by LACNIC as a local preparatory meeting for LACIGF. Its IGF "
        "recognition is not confirmed by an IGF page read.",
    ),
    # --- regional and sub-regional IGFs ---
    (
        "lusophone-igf",
        "Lusophone IGF",
        ["IGF Lusófono"],
        "sub-regional",
        "",
        "Portuguese-speaking countries",
        "unassigned",
        "2023",
        "listed",
        ["igf-nri-regional-list"],
        "Sub-regional IGF for the Portuguese-speaking countries, recognised in 2023 according to "
        "the IGF's listing; its 2024 meeting was in Cidade da Praia (Cabo Verde) and online.",
    ),
    (
        "afigf",
        "African IGF",
        ["AfIGF"],
        "regional",
        "",
        "Africa",
        "unassigned",
        "2012",
        "listed",
        ["igf-nri-regional-list", "igf-nri-regional-list-legacy"],
        "The African regional IGF; it held its first annual meeting in 2012 according to the IGF's listing.",
    ),
    (
        "arab-igf",
        "Arab IGF",
        [],
        "regional",
        "",
        "Arab region",
        "unassigned",
        "2012",
        "listed",
        ["igf-nri-regional-list", "igf-nri-regional-list-legacy"],
        "The Arab regional IGF, established in 2012 according to the IGF's listing.",
    ),
    (
        "aprigf",
        "Asia Pacific Regional IGF",
        ["APrIGF", "Asia Pacific IGF"],
        "regional",
        "",
        "Asia-Pacific",
        "unassigned",
        "2010",
        "listed",
        ["igf-nri-regional-list-legacy"],
        "The Asia Pacific regional IGF, first convened in 2010 according to the IGF's (legacy) listing.",
    ),
    (
        "seedig",
        "SEEDIG",
        ["South Eastern European Dialogue on Internet Governance"],
        "sub-regional",
        "",
        "South Eastern Europe and the neighbouring area",
        "unassigned",
        "",
        "named",
        ["igf-nris-meeting-2017-03-03", "seedig-national-igfs"],
        "Sub-regional IGF for South Eastern Europe (so described in the IGF's NRI meeting summary "
        "of 3 March 2017). It facilitates meetings with the national IGFs of its area.",
    ),
    (
        "west-africa-igf",
        "West Africa IGF",
        ["WAIGF", "West African Internet Governance Forum"],
        "sub-regional",
        "",
        "West Africa",
        "unassigned",
        "2008",
        "named",
        ["igf-nris-vm-2017-06-29", "waigf-about", "digwatch-igf2025-nri-coordination"],
        "Sub-regional IGF for West Africa, first organised in 2008 (its own page, now on the ECOWAS "
        "site). At the IGF 2025 NRIs coordination session it was cited for engaging parliamentarians.",
    ),
    (
        "central-asia-igf",
        "Central Asia IGF",
        [],
        "sub-regional",
        "",
        "Central Asia",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2017-06-29"],
        "Sub-regional IGF for Central Asia; its coordinator spoke at the IGF's NRI meeting of 29 June 2017.",
    ),
    (
        "caribbean-igf",
        "Caribbean IGF",
        ["CIGF"],
        "sub-regional",
        "",
        "Caribbean",
        "unassigned",
        "",
        "named",
        ["digwatch-igf2025-nri-coordination"],
        "Sub-regional IGF for the Caribbean; at the IGF 2025 NRIs coordination session it stressed "
        "measuring and communicating the policy impact of its work.",
    ),
    (
        "saigf",
        "Southern Africa IGF",
        ["SAIGF"],
        "sub-regional",
        "",
        "Southern Africa (SADC)",
        "unassigned",
        "",
        "unconfirmed",
        ["saigf-nigfs"],
        "Sub-regional IGF convened by the Southern African Development Community, facilitated by "
        "SANGONeT; its page says 9 of the 15 SADC Member States have national IGFs. Its IGF "
        "recognition is not confirmed by an IGF page read.",
    ),
    (
        "lacigf",
        "Latin America and Caribbean IGF",
        ["LACIGF"],
        "regional",
        "",
        "Latin America and the Caribbean",
        "unassigned",
        "",
        "unconfirmed",
        ["diplo-lacigf-2012", "lacnic-uruguay-igf"],
        "Regional IGF for Latin America and the Caribbean (a 2012 meeting is reported by Diplo). "
        "Not among the entries of the IGF's regional list that could be read.",
    ),
    # --- Youth IGFs ---
    (
        "netherlands-youth-igf",
        "Netherlands Youth IGF",
        [],
        "youth",
        "NL",
        "Europe",
        "unassigned",
        "2011",
        "listed",
        ["igf-youth-list"],
        "Youth IGF of the Netherlands, established in 2011 according to the IGF's youth listing.",
    ),
    (
        "german-youth-igf",
        "German Youth IGF",
        [],
        "youth",
        "DE",
        "Europe",
        "unassigned",
        "2013",
        "listed",
        ["igf-youth-list"],
        "Youth IGF of Germany, established in 2013 according to the IGF's youth listing.",
    ),
    (
        "youth-igf-afghanistan",
        "Youth IGF Afghanistan",
        ["YIGFA", "Afghanistan Youth IGF"],
        "youth",
        "AF",
        "Asia-Pacific",
        "unassigned",
        "",
        "listed",
        ["igf-youth-list-review", "igf-nris-meeting-2020-01-09"],
        "Youth-led initiative engaging Afghan youth in Internet governance; reported among the "
        "most recently recognised NRIs in January 2020.",
    ),
    (
        "yigf-africa",
        "Youth IGF Africa",
        ["YIGF Africa"],
        "youth",
        "",
        "Africa",
        "unassigned",
        "",
        "listed",
        ["igf-youth-list-review"],
        "Regional youth IGF for Africa, listed on the IGF's youth listing.",
    ),
    (
        "albania-youth-igf",
        "Albania Youth IGF",
        ["Albanian Youth IGF"],
        "youth",
        "AL",
        "Europe",
        "unassigned",
        "2018",
        "listed",
        ["igf-youth-list-review"],
        "Youth IGF of Albania, established in 2018 according to the IGF's youth listing.",
    ),
    (
        "nicaragua-youth-igf",
        "Nicaragua Youth IGF",
        [],
        "youth",
        "NI",
        "Latin America and the Caribbean",
        "unassigned",
        "",
        "named",
        ["igf-nris-meeting-2020-01-09"],
        "Youth IGF of Nicaragua; reported among the most recently recognised NRIs in January 2020.",
    ),
    (
        "youth-igf-turkey",
        "Youth IGF Turkey",
        [],
        "youth",
        "TR",
        "Europe and Western Asia",
        "unassigned",
        "",
        "named",
        ["seedig-national-igfs"],
        "Youth IGF of Turkey, on SEEDIG's 2017 list of national IGFs recognised by the global IGF.",
    ),
    # --- added in the second round (read on 2026-12-02) ---
    (
        "uk-igf",
        "UK IGF",
        ["United Kingdom IGF"],
        "national",
        "GB",
        "Europe",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2016-12-20"],
        "National IGF of the United Kingdom; it reported at the IGF's NRI meeting of 20 December 2016 that "
        "recordings of its 2016 meeting were online.",
    ),
    (
        "sri-lanka-igf",
        "Sri Lanka IGF",
        [],
        "national",
        "LK",
        "Asia-Pacific",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2016-12-20"],
        "National IGF of Sri Lanka; the IGF's NRI meeting of 20 December 2016 was told its next meeting was "
        "tentatively set for March 2017.",
    ),
    (
        "portugal-igf",
        "Portugal IGF",
        [],
        "national",
        "PT",
        "Europe",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2017-12-12"],
        "National IGF of Portugal; its coordinator took part in the IGF's NRI meeting of 12 December 2017.",
    ),
    (
        "italy-igf",
        "Italian IGF",
        ["IGF Italia", "Italy IGF"],
        "national",
        "IT",
        "Europe",
        "unassigned",
        "",
        "named",
        ["igf-nris-vm-2017-12-12"],
        "National IGF of Italy; it took part in the IGF's NRI meeting of 12 December 2017.",
    ),
    (
        "lebanon-igf",
        "Lebanon IGF",
        [],
        "national",
        "LB",
        "Arab region",
        "unassigned",
        "",
        "named",
        ["igf-2024-nri-main-session"],
        "National IGF of Lebanon; its Chair opened the NRIs' main session at IGF 2024 on the MENA region's "
        "NRIs, twenty years after WSIS.",
    ),
    (
        "north-africa-igf",
        "North Africa IGF",
        ["NAIGF"],
        "sub-regional",
        "",
        "North Africa",
        "unassigned",
        "",
        "named",
        ["igf-2025-nri-main-session"],
        "Sub-regional IGF for North Africa; the moderator of the NRIs' main session at IGF 2025 was introduced "
        "as part of it and of the Arab IGF.",
    ),
    (
        "east-africa-igf",
        "East African IGF",
        ["EAIGF", "East Africa IGF"],
        "sub-regional",
        "",
        "East Africa",
        "unassigned",
        "2008",
        "unconfirmed",
        ["giswatch-2017-preface", "kigf-2019-programme"],
        "Sub-regional IGF for East Africa, first held in 2008 after national forums in Kenya, Uganda, Tanzania "
        "and Rwanda (GISWatch 2017); Kenya hosted it in 2009 (Kenya IGF). Not among the entries of the IGF's "
        "regional list that could be read.",
    ),
    (
        "bangladesh-igf",
        "Bangladesh IGF",
        ["BIGF", "Bangladesh Internet Governance Forum"],
        "national",
        "BD",
        "Asia-Pacific",
        "unassigned",
        "",
        "unconfirmed",
        ["bangladesh-igf-2020", "soc-bangladesh-youth-igf-2023"],
        "The national IGF of Bangladesh by its own description; it also organises a youth IGF. Its IGF "
        "recognition is not confirmed by an IGF page read.",
    ),
    (
        "bangladesh-youth-igf",
        "Bangladesh Youth IGF",
        ["Youth IGF Bangladesh"],
        "youth",
        "BD",
        "Asia-Pacific",
        "unassigned",
        "",
        "unconfirmed",
        ["soc-bangladesh-youth-igf-2023"],
        "Youth IGF of Bangladesh, organised by the Bangladesh IGF; its third edition opened in May 2023 (news). "
        "Its IGF recognition is not confirmed by an IGF page read.",
    ),
    (
        "india-igf",
        "India IGF",
        ["IIGF", "India Internet Governance Forum"],
        "national",
        "IN",
        "Asia-Pacific",
        "unassigned",
        "2021",
        "unconfirmed",
        ["bs-india-igf-2021"],
        "India Internet Governance Forum, launched in August 2021 (first meeting October 2021) with a "
        "multistakeholder coordination committee chaired by NIXI's CEO. Its IGF recognition is not confirmed by "
        "an IGF page read.",
    ),
    (
        "nigeria-igf",
        "Nigeria IGF",
        ["NIGF", "Nigerian IGF"],
        "national",
        "NG",
        "Africa",
        "unassigned",
        "",
        "unconfirmed",
        ["nigf-about"],
        "Nigeria Internet Governance Forum, which describes itself as a national initiative of the global IGF, "
        "coordinated by a multistakeholder advisory group. Its IGF recognition is not confirmed by an IGF page read.",
    ),
    (
        "kenya-igf",
        "Kenya IGF",
        ["KIGF", "KeIGF"],
        "national",
        "KE",
        "Africa",
        "unassigned",
        "2008",
        "unconfirmed",
        ["kigf-2019-programme", "khusoko-kigf-2021"],
        "Kenya Internet Governance Forum, convened by KICTANet and first held in 2008. Its IGF recognition is "
        "not confirmed by an IGF page read.",
    ),
    (
        "igf-germany",
        "IGF Deutschland",
        ["IGF-D", "Internet Governance Forum Germany"],
        "national",
        "DE",
        "Europe",
        "unassigned",
        "2008",
        "unconfirmed",
        ["igfd-about"],
        "Internet Governance Forum Germany, the national forum of the IGF process by its own description, in "
        "existence since 2008. Its IGF recognition is not confirmed by an IGF page read.",
    ),
]

# (source, type, target, role, status, confidence, sources, note); role "" when none
EXTRA_RELATIONS = [
    # who a regional or sub-regional IGF works with, where a source says so
    *[
        (
            "seedig",
            "COORDINATES_WITH",
            nri,
            "",
            "active",
            "medium",
            ["seedig-national-igfs"],
            "SEEDIG lists this national IGF and has held online meetings with the national IGFs of its area since December 2015.",
        )
        for nri in (
            "albania-igf",
            "armenia-igf",
            "azerbaijan-igf",
            "belarus-igf",
            "bosnia-herzegovina-igf",
            "croatia-igf",
            "georgia-igf",
            "north-macedonia-igf",
            "moldova-igf",
            "russia-igf",
            "slovenia-igf",
            "ukraine-igf",
            "youth-igf-turkey",
        )
    ],
    (
        "zimbabwe-igf",
        "COORDINATES_WITH",
        "saigf",
        "",
        "active",
        "medium",
        ["zigf-definition"],
        "ZIGF places itself under the SAIGF at sub-regional level (its own description); the IGF treats NRIs as independent, so this is coordination, not membership.",
    ),
    (
        "zimbabwe-igf",
        "COORDINATES_WITH",
        "afigf",
        "",
        "active",
        "medium",
        ["zigf-definition"],
        "ZIGF places itself under the AfIGF at continental level (its own description).",
    ),
    # the IGF 2025 NRIs coordination session (WSIS+20, IGF mandate)
    (
        "igf-2025-nri-coordination-session",
        "PART_OF",
        "igf-2025",
        "",
        "active",
        "high",
        ["digwatch-igf2025-nri-coordination"],
        "",
    ),
    (
        "igf-secretariat",
        "CONVENES",
        "igf-2025-nri-coordination-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2025-nri-coordination"],
        "Facilitated by Anja Gengo of the IGF Secretariat.",
    ),
    (
        "nri-network",
        "ENGAGES_IN",
        "igf-2025-nri-coordination-session",
        "participant",
        "concluded",
        "medium",
        ["digwatch-igf2025-nri-coordination"],
        "Representatives of the NRIs (177 initiatives, per the report) exchanged practices.",
    ),
    *[
        (
            nri,
            "ENGAGES_IN",
            "igf-2025-nri-coordination-session",
            "participant",
            "concluded",
            "medium",
            ["digwatch-igf2025-nri-coordination"],
            "Named in the session report.",
        )
        for nri in ("caribbean-igf", "west-africa-igf", "colombia-igf", "mauritius-igf")
    ],
    (
        "wsis20-review",
        "DISCUSSED_AT",
        "igf-2025-nri-coordination-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2025-nri-coordination"],
        "The session stressed the NRIs' work in the year of the WSIS+20 review.",
    ),
    (
        "igf-mandate-renewal",
        "DISCUSSED_AT",
        "igf-2025-nri-coordination-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2025-nri-coordination"],
        "The renewal of the IGF mandate was named as what makes the year pivotal for the NRIs.",
    ),
    # second round: where the sources say so
    (
        "kenya-igf",
        "COORDINATES_WITH",
        "east-africa-igf",
        "",
        "active",
        "medium",
        ["kigf-2019-programme"],
        "Kenya IGF says its outcomes feed into the East Africa IGF (its own description); NRIs are independent, so this is coordination.",
    ),
    (
        "kenya-igf",
        "COORDINATES_WITH",
        "afigf",
        "",
        "active",
        "medium",
        ["kigf-2019-programme"],
        "Kenya IGF says its outcomes feed into the Africa IGF (its own description).",
    ),
    (
        "bangladesh-igf",
        "COORDINATES_WITH",
        "bangladesh-youth-igf",
        "",
        "active",
        "medium",
        ["soc-bangladesh-youth-igf-2023"],
        "The Bangladesh IGF organised the 2023 Bangladesh Youth IGF (news report); CONVENES joins an actor to an event, so the tie is recorded as coordination.",
    ),
    # the NRIs' main session at IGF 2024 (WSIS+20, GDC)
    (
        "igf-2024-nri-main-session",
        "PART_OF",
        "igf-2024",
        "",
        "active",
        "high",
        ["igf-2024-nri-main-session"],
        "",
    ),
    (
        "nri-network",
        "ENGAGES_IN",
        "igf-2024-nri-main-session",
        "convener",
        "concluded",
        "high",
        ["igf-2024-nri-main-session", "digwatch-igf2024-nri-main-session"],
        "The NRIs' own main session; speakers from NRIs of each region (over 174 NRIs, per the opening).",
    ),
    *[
        (
            nri,
            "ENGAGES_IN",
            "igf-2024-nri-main-session",
            "contributor",
            "concluded",
            "high",
            ["igf-2024-nri-main-session"],
            "The session's first speaker was the Chair of the Lebanon IGF, introduced as part of the Arab IGF.",
        )
        for nri in ("lebanon-igf", "arab-igf")
    ],
    (
        "wsis20-review",
        "DISCUSSED_AT",
        "igf-2024-nri-main-session",
        "",
        "concluded",
        "medium",
        ["igf-2024-nri-main-session", "digwatch-igf2024-nri-main-session"],
        "Opened on where Internet governance stands twenty years after WSIS; the report says the WSIS+20 review was discussed.",
    ),
    (
        "gdc",
        "DISCUSSED_AT",
        "igf-2024-nri-main-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2024-nri-main-session"],
        "The report says speakers touched on the GDC and the NRIs' role in localising global principles.",
    ),
    # the NRIs' coordination session at IGF 2024
    (
        "igf-2024-nri-coordination-session",
        "PART_OF",
        "igf-2024",
        "",
        "active",
        "medium",
        ["digwatch-igf2024-nri-coordination"],
        "",
    ),
    (
        "nri-network",
        "ENGAGES_IN",
        "igf-2024-nri-coordination-session",
        "participant",
        "concluded",
        "medium",
        ["digwatch-igf2024-nri-coordination"],
        "Participants from various NRIs shared experiences (session report).",
    ),
    (
        "nri-gdc-implementation",
        "DISCUSSED_AT",
        "igf-2024-nri-coordination-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2024-nri-coordination"],
        "A key point of the session: the role of the IGFs in implementing the GDC.",
    ),
    (
        "wsis20-review",
        "DISCUSSED_AT",
        "igf-2024-nri-coordination-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2024-nri-coordination"],
        "How NRIs could contribute to the WSIS+20 review and the IGF's future mandate.",
    ),
    (
        "igf-mandate-renewal",
        "DISCUSSED_AT",
        "igf-2024-nri-coordination-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2024-nri-coordination"],
        "Calls to use NRI events to gather input on the IGF's next 20 years, and a suggested post-WSIS+20 working group on an IGF charter.",
    ),
    # the NRIs' main session at IGF 2025
    (
        "igf-2025-nri-main-session",
        "PART_OF",
        "igf-2025",
        "",
        "active",
        "high",
        ["igf-2025-nri-main-session"],
        "",
    ),
    (
        "nri-network",
        "ENGAGES_IN",
        "igf-2025-nri-main-session",
        "convener",
        "concluded",
        "high",
        ["igf-2025-nri-main-session", "digwatch-igf2025-nri-main-session"],
        "Main session co-organised by the NRIs (over 176, per the moderator).",
    ),
    *[
        (
            nri,
            "ENGAGES_IN",
            "igf-2025-nri-main-session",
            "facilitator",
            "concluded",
            "high",
            ["igf-2025-nri-main-session"],
            "The moderator, Christine Arida (Egypt's NTRA), was introduced as part of the North Africa IGF and the Arab IGF.",
        )
        for nri in ("north-africa-igf", "arab-igf")
    ],
    (
        "wsis20-review",
        "DISCUSSED_AT",
        "igf-2025-nri-main-session",
        "",
        "concluded",
        "medium",
        ["igf-2025-nri-main-session", "digwatch-igf2025-nri-main-session"],
        "One of the session's objectives: strengthening digital governance beyond 2025 within WSIS+20 and the GDC.",
    ),
    (
        "gdc",
        "DISCUSSED_AT",
        "igf-2025-nri-main-session",
        "",
        "concluded",
        "medium",
        ["digwatch-igf2025-nri-main-session"],
        "One of the session's objectives: strengthening digital governance beyond 2025 within WSIS+20 and the GDC.",
    ),
]

EXTRA_ENTITIES = [
    {
        "id": "igf-2025-nri-coordination-session",
        "type": "event",
        "name": "IGF 2025 Day 0 Event #271: NRIs Coordination Session, exchanging good practices",
        "valid_from": "2025-06-23",
        "valid_to": "2025-06-23",
        "country": "NO",
        "description": "Annual coordination session of the national, regional, sub-regional and youth IGFs at IGF 2025 (Lillestrom): funding, youth IGFs, and the NRIs' work in the year of the WSIS+20 review and the IGF mandate renewal.",
        "sources": ["digwatch-igf2025-nri-coordination"],
    },
    {
        "id": "igf-2024-nri-main-session",
        "type": "event",
        "name": "IGF 2024 main session: Evolving Role of NRIs in Multistakeholder Digital Governance",
        "country": "SA",
        "description": "The NRIs' main session on Day 4 of IGF 2024 (Riyadh): speakers from NRIs of each region on twenty years of WSIS, the multistakeholder model, the WSIS+20 review and the GDC. The date of Day 4 is not given by the sources read.",
        "sources": ["igf-2024-nri-main-session", "digwatch-igf2024-nri-main-session"],
    },
    {
        "id": "igf-2024-nri-coordination-session",
        "type": "event",
        "name": "IGF 2024 NRIs Coordination Session",
        "valid_from": "2024-12-15",
        "valid_to": "2024-12-15",
        "country": "SA",
        "description": "Annual coordination session of the NRIs at IGF 2024: their growth, their role in implementing the GDC and in the WSIS+20 review, and input on the IGF's future mandate.",
        "sources": ["digwatch-igf2024-nri-coordination"],
    },
    {
        "id": "igf-2025-nri-main-session",
        "type": "event",
        "name": "IGF 2025 NRI main session: Multistakeholder digital governance beyond 2025",
        "valid_from": "2025-06-26",
        "valid_to": "2025-06-26",
        "country": "NO",
        "description": "Main session co-organised by the NRIs on Day 3 of IGF 2025 (Lillestrom): evidence from NRIs on the multistakeholder approach and its strengthening beyond 2025 within WSIS+20 and the GDC; sustainability of NRIs.",
        "sources": ["igf-2025-nri-main-session", "digwatch-igf2025-nri-main-session"],
    },
]


# The UN regional group of NRIs that no IGF group page read lists, from the membership of the UN
# regional groups (sources un-dgacm-regional-groups, wikipedia-grulac, wikipedia-weog; README "NRIs").
# nri id -> (group, sources added to the NRI). National and youth IGFs take the group of their
# country; a regional or sub-regional IGF only when all of its area lies in one group. Left
# unassigned on purpose: youth-igf-turkey (Turkiye takes part in both Asia-Pacific and WEOG),
# arab-igf and lusophone-igf (their areas span several groups), aprigf (Asia-Pacific region
# includes WEOG members Australia and New Zealand), seedig (South Eastern Europe spans EEG and
# WEOG), caribbean-igf (the Caribbean states' names were not all in the copy read, and the area
# includes non-member territories), eurodig (hand-curated; Europe spans EEG and WEOG).
DGACM = ["un-dgacm-regional-groups"]
# WEOG by elimination: the Eastern European list was read in full and does not name the country,
# and Europe is divided between WEOG and the Eastern European Group (wikipedia-weog).
WEOG_BY_ELIMINATION = ["un-dgacm-regional-groups", "wikipedia-weog"]
UN_GROUP_BASIS = {
    **{
        n: ("African", DGACM)
        for n in (
            "zimbabwe-igf",
            "mauritius-igf",
            "nigeria-igf",
            "kenya-igf",
            # every state of these areas is on the African list
            "afigf",
            "yigf-africa",
            "west-africa-igf",
            "saigf",
            "north-africa-igf",
            "east-africa-igf",
        )
    },
    **{
        n: ("EEG", DGACM)
        for n in (
            "georgia-igf",
            "north-macedonia-igf",
            "moldova-igf",
            "russia-igf",
            "slovenia-igf",
            "ukraine-igf",
            "albania-youth-igf",
        )
    },
    **{
        n: ("Asia-Pacific", DGACM)
        for n in (
            "china-igf",
            "japan-igf",
            "youth-igf-afghanistan",
            "sri-lanka-igf",
            "lebanon-igf",
            "bangladesh-igf",
            "bangladesh-youth-igf",
            "india-igf",
            # every Central Asian state is on the Asia-Pacific list
            "central-asia-igf",
        )
    },
    **{n: ("GRULAC", DGACM) for n in ("nicaragua-youth-igf", "svg-igf")},
    **{
        n: ("GRULAC", ["wikipedia-grulac"])
        for n in (
            "colombia-igf",
            "mexico-igf",
            "uruguay-igf",  # hold the group's ECOSOC seats
            "honduras-igf",  # holds the group's presidency (April 2016)
            "lacigf",
        )
    },  # the group gathers all Latin American and Caribbean states
    "igf-usa": ("WEOG", ["wikipedia-weog"]),  # observer, a member for electoral purposes
    **{
        n: ("WEOG", WEOG_BY_ELIMINATION)
        for n in (
            "netherlands-igf",
            "netherlands-youth-igf",
            "german-youth-igf",
            "igf-germany",
            "austria-igf",
            "uk-igf",
            "portugal-igf",
            "italy-igf",
        )
    },
}


def with_un_group(nri: tuple) -> tuple:
    """The NRI with its un-region from UN_GROUP_BASIS (and those sources), when it has none from an IGF group page."""
    nri_id, name, aliases, kind, country, region, unreg, year, listing, srcs, desc = nri
    if nri_id in UN_GROUP_BASIS:
        assert unreg == "unassigned", nri_id  # an IGF group page wins
        unreg, extra = UN_GROUP_BASIS[nri_id]
        srcs = srcs + [s for s in extra if s not in srcs]
    return (nri_id, name, aliases, kind, country, region, unreg, year, listing, srcs, desc)


def q(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_list(items: list[str]) -> str:
    return (
        "[" + ", ".join(q(i) if any(c in i for c in ":'#,[]{}") or i != i.strip() else i for i in items) + "]"
    )


def part_of(nri: tuple) -> tuple:
    nri_id, _n, _a, _kind, _c, _r, _u, _y, listing, srcs, _d = nri
    confidence, note = {
        "listed": ("high", ""),
        "named": (
            "medium",
            "Named as an IGF initiative on an IGF page or list other than the IGF's NRI listings, or the listing page was not read past its opening entries.",
        ),
        "unconfirmed": (
            "low",
            "Only the initiative's own page or a third party describes it; the IGF listing that would confirm its recognition was not read.",
        ),
    }[listing]
    return (nri_id, "PART_OF", "nri-network", "", "active", confidence, srcs, note)


def render() -> str:
    out = [
        "# GENERATED by scripts/build_nri_seed.py from its saved copy of the IGF's NRI listings",
        f'# (read on {READ_ON}); edit the script, not this file. See seed_data/README.md, "NRIs".',
        "schema_version: 1",
        "",
        "sources:",
    ]
    for sid, kind, title, url, locator, date in SOURCES:
        out += [f"  - id: {sid}", f"    kind: {kind}", f"    title: {q(title)}"]
        if date:
            out.append(f"    date: {q(date)}")
        out.append(f"    url: {q(url)}")
        if locator:
            out.append(f"    locator: {q(locator)}")
        out.append("")
    out.append("entities:")
    for nri_id, name, aliases, kind, country, region, unreg, year, listing, srcs, desc in map(
        with_un_group, NRIS
    ):
        tags = [f"nri-kind:{kind}", f"un-region:{unreg}", f"igf-listing:{listing}"]
        if year:
            tags.append(f"established:{year}")
        out += [f"  - id: {nri_id}", "    type: nri", f"    name: {q(name)}"]
        if aliases:
            out.append(f"    aliases: {flow_list(aliases)}")
        out += ["    stakeholder_group: multistakeholder", f"    region: {q(region)}"]
        if country:
            out.append(f"    country: {country}")
        out += [
            f"    description: {q(desc)}",
            f"    tags: {flow_list(tags)}",
            f"    sources: {flow_list(srcs)}",
            "",
        ]
    for ent in EXTRA_ENTITIES:
        out += [f"  - id: {ent['id']}", f"    type: {ent['type']}", f"    name: {q(ent['name'])}"]
        for key in ("valid_from", "valid_to"):
            if key in ent:
                out.append(f"    {key}: {q(ent[key])}")
        out += [
            f"    country: {ent['country']}",
            f"    description: {q(ent['description'])}",
            f"    sources: {flow_list(ent['sources'])}",
            "",
        ]
    out.append("relations:")
    for rel in [part_of(n) for n in NRIS] + EXTRA_RELATIONS:
        source, type_, target, role, status, confidence, srcs, note = rel
        fields = [f"source: {source}", f"type: {type_}", f"target: {target}"]
        if role:
            fields.append(f"role: {role}")
        fields += [f"status: {status}", f"confidence: {confidence}", f"sources: {flow_list(srcs)}"]
        if note:
            fields.append(f"note: {q(note)}")
        out.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(out) + "\n"


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT} ({len(NRIS)} NRIs, {len(SOURCES)} sources)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
