#!/usr/bin/env python3
"""Converts the shared reference data (cities, institutions, joint labs, platforms CSVs) into
labgraph seed format v1 JSON Lines files in graph-seed/.

Usage: python3 graph-seed/tools/from_reference.py ../shared/reference-data [OUT_DIR]

Standard library only. Every source string is kept verbatim; a field empty in the reference
stays empty; any name that cannot be matched stops the conversion (nothing is guessed).
The mapping rules are documented in graph-seed/README.md.
"""

import csv
import json
import sys
from pathlib import Path

HEADER = {"record": "header", "format": "labgraph-seed", "version": 1}
INSTITUTIONS_SOURCE = "shared/reference-data/institutions.csv"
FIELD_CODES_SOURCE = "shared/reference-data field code"
SPEC_TAXONOMY_SOURCE = "SPEC.md field taxonomy"
SPEC_SOURCE = "SPEC.md"

# Field codes used in joint_labs.csv / platforms.csv -> field id. Codes that are not already
# valid ids are lower-cased.
FIELD_ID = {"TCM": "tcm", "AI": "ai", "IC": "ic"}

# English names of the reference field codes (a spelling-out of the code, nothing more), with
# Chinese only where the term is the standard one for the code.
REFERENCE_FIELDS = {
    # id: (name_en, name_zh_hans, name_zh_hant, group, parent)
    "ai": ("Artificial intelligence", "人工智能", "人工智能", "strategic_industry", None),
    "ic": ("Integrated circuits", "集成电路", "集成電路", "strategic_industry", None),
    "biomedicine": ("Biomedicine", "生物医药", "生物醫藥", "strategic_industry", None),
    "quantum": ("Quantum", None, None, "frontier", None),
    "tcm": ("Traditional Chinese medicine", "中医药", "中醫藥", "discipline", "biomedicine"),
    "energy-materials": ("Energy materials", None, None, "discipline", "materials"),
    "materials": ("Materials", None, None, "discipline", None),
    "environment": ("Environment", None, None, "discipline", None),
    "smart-city": ("Smart city", None, None, "discipline", None),
    "computing": ("Computing", None, None, "discipline", None),
    "fluid-mechanics": ("Fluid mechanics", None, None, "discipline", None),
    "marine": ("Marine", None, None, "discipline", None),
    "carbon-neutrality": (
        "Carbon neutrality", None, None, "discipline", "future-green-low-carbon"),
    "chemistry": ("Chemistry", None, None, "discipline", None),
    "agriculture": ("Agriculture", None, None, "discipline", None),
    "manufacturing": ("Manufacturing", None, None, "discipline", None),
    "space": ("Space", None, None, "discipline", "deep-sea-and-space"),
    "physics": ("Physics", None, None, "discipline", None),
    "energy": ("Energy", None, None, "discipline", None),
    "multi": ("Multidisciplinary", None, None, "discipline", None),
    "medical-robotics": ("Medical robotics", None, None, "discipline", None),
    "mathematics": ("Mathematics", None, None, "discipline", None),
}

# SPEC.md's taxonomy entries that the reference data does not use. Chinese names only for the
# standard policy terms; the rest stay empty.
SPEC_FIELDS = {
    "high-end-equipment": ("High-end equipment", "高端装备", "高端裝備", "strategic_industry", None),
    "industrial-internet": ("Industrial internet", "工业互联网", "工業互聯網", "strategic_industry", None),
    "future-electronic-information": (
        "Future electronic information", "未来电子信息", "未來電子信息", "future_industry", None),
    "future-intelligent-equipment": (
        "Future intelligent equipment", "未来智能装备", "未來智能裝備", "future_industry", None),
    "future-life-and-health": (
        "Future life and health", "未来生命健康", "未來生命健康", "future_industry", None),
    "future-materials": ("Future materials", "未来材料", "未來材料", "future_industry", None),
    "future-green-low-carbon": (
        "Future green and low-carbon", "未来绿色低碳", "未來綠色低碳", "future_industry", None),
    "6g": ("6G", None, None, "frontier", None),
    "gene-technology": ("Gene technology", "基因技术", "基因技術", "frontier", None),
    "deep-sea-and-space": ("Deep sea and space", None, None, "frontier", None),
    "new-generation-ai": ("New-generation AI", "新一代人工智能", "新一代人工智能", "frontier", "ai"),
}

# Platforms SPEC.md names. Chinese names only where the official name is certain.
SPEC_PLATFORMS = [
    {
        "id": "hetao-szhk-cooperation-zone",
        "name_zh_hans": "河套深港科技创新合作区",
        "name_zh_hant": "河套深港科技創新合作區",
        "name_en": "Hetao Shenzhen–Hong Kong S&T Cooperation Zone",
        "platform_kind": "cooperation_zone",
        "cities": ["shenzhen", "hong-kong"],
    },
    {
        "id": "nansha-cooperation-base",
        "name_en": "Nansha cooperation base",
        "platform_kind": "cooperation_zone",
        "cities": ["guangzhou"],
    },
    {
        "id": "gz-sz-hk-mo-st-corridor",
        "name_zh_hans": "广深港澳科技创新走廊",
        "name_zh_hant": "廣深港澳科技創新走廊",
        "name_en": "Guangzhou–Shenzhen–Hong Kong–Macao S&T corridor",
        "platform_kind": "corridor",
        "cities": ["guangzhou", "shenzhen", "hong-kong", "macao"],
    },
    {
        "id": "gba-university-industry-rd-alliance",
        "name_en": "GBA university industry R&D alliance",
        "platform_kind": "alliance",
    },
]
HETAO_PLATFORM = "hetao-szhk-cooperation-zone"

# Universally used Chinese short forms (unverified conventions, listed in the README).
ALIASES = {"hku": ["港大"], "cuhk": ["港中大"], "hkust": ["港科大"], "um": ["澳大"]}

# platforms.csv `type` -> lab_kind.
PLATFORM_LAB_KIND = {
    "hk_national_key_lab": "state_key_lab",
    "macao_national_key_lab": "state_key_lab",
    "guangdong_lab": "provincial_lab",
    "guangdong_lab_branch": "provincial_lab",
}
NATIONAL_KEY_LAB_TYPES = {"hk_national_key_lab", "macao_national_key_lab"}


class ConversionError(Exception):
    pass


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        # Row 1 is the header, so data rows start at line 2.
        return [(i + 2, row) for i, row in enumerate(csv.DictReader(f))]


def split(cell):
    return [part.strip() for part in cell.split(";") if part.strip()]


def compact(record):
    """Leaves out empty fields: empty in the reference stays empty (absent) in the seed."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def year(cell, where):
    if not cell:
        return None
    try:
        return int(cell)
    except ValueError as e:
        raise ConversionError(f"{where}: {cell!r} is not a year") from e


def field_id(code, where):
    fid = FIELD_ID.get(code, code)
    if fid not in REFERENCE_FIELDS:
        raise ConversionError(f"{where}: field code {code!r} is not in the taxonomy")
    return fid


def convert(ref):
    cities, city_by_en = [], {}
    for line, row in read_csv(ref / "cities.csv"):
        city_by_en[row["name_en"]] = row
        cities.append(compact({
            "record": "node", "kind": "city", "id": row["id"],
            "name_zh_hans": row["name_zh_hans"], "name_zh_hant": row["name_zh_hant"],
            "name_en": row["name_en"], "region": row["region"],
            "in_gba": {"yes": True, "no": False}[row["in_gba"]],
            "lat": float(row["lat"]) if row["lat"] else None,
            "lon": float(row["lon"]) if row["lon"] else None,
            "adcode": row["adcode"], "source": row["coord_source"], "verified": True,
        }))

    def city_id(name_en, where):
        row = city_by_en.get(name_en)
        if row is None:
            raise ConversionError(f"{where}: city {name_en!r} is not in cities.csv")
        return row["id"]

    institutions, inst_by_zh, inst_kind = [], {}, {}
    for line, row in read_csv(ref / "institutions.csv"):
        where = f"institutions.csv:{line}"
        if row["name_zh_hans"] in inst_by_zh:
            raise ConversionError(f"{where}: name {row['name_zh_hans']} is not unique")
        inst_by_zh[row["name_zh_hans"]] = row["id"]
        inst_kind[row["id"]] = row["kind"]
        city = city_id(row["city"], where)
        if city_by_en[row["city"]]["region"] != row["region"]:
            raise ConversionError(f"{where}: region {row['region']} disagrees with {city}")
        institutions.append(compact({
            "record": "node", "kind": "institution", "id": row["id"],
            "name_zh_hans": row["name_zh_hans"], "name_zh_hant": row["name_zh_hant"],
            "name_en": row["name_en"], "short_name": row["short_name"],
            "aliases": ALIASES.get(row["id"], []),
            "institution_kind": row["kind"], "city": city,
            "source": INSTITUTIONS_SOURCE, "verified": True,
        }))
    unknown_aliases = set(ALIASES) - set(inst_kind)
    if unknown_aliases:
        raise ConversionError(f"aliases for unknown institutions: {sorted(unknown_aliases)}")

    def institution(name_zh, where):
        iid = inst_by_zh.get(name_zh)
        if iid is None:
            raise ConversionError(f"{where}: no institution named {name_zh!r} in institutions.csv")
        return iid

    labs, edges, used_fields = [], [], set()
    seen_edges = {}

    def edge(record, where):
        key = (record["kind"], record["from"], record["to"])
        if key in seen_edges:
            raise ConversionError(f"{where}: edge {key} already made at {seen_edges[key]}")
        seen_edges[key] = where
        edges.append(compact(record))

    for line, row in read_csv(ref / "joint_labs.csv"):
        where = f"joint_labs.csv:{line}"
        batch = year(row["batch_year"], where)
        source = row["source"]
        labs.append(compact({
            "record": "node", "kind": "lab", "id": row["id"],
            "name_zh_hans": row["name_zh"], "name_en": row["name_en"],
            "lab_kind": "joint_lab", "batch_year": batch,
            "cities": [city_id(c, where) for c in split(row["host_city"])],
            "source": source, "verified": True,
        }))
        for column, role in (("host_institutions", "host"), ("partner_institutions", "partner")):
            for name in split(row[column]):
                edge({"record": "edge", "kind": "partner_in", "from": institution(name, where),
                      "to": row["id"], "role": role, "since": batch, "source": source,
                      "verified": True}, where)
        for code in split(row["field"]):
            fid = field_id(code, where)
            used_fields.add(fid)
            edge({"record": "edge", "kind": "works_on", "from": row["id"], "to": fid,
                  "since": batch, "source": source, "verified": True}, where)

    for line, row in read_csv(ref / "platforms.csv"):
        where = f"platforms.csv:{line}"
        kind = row["type"]
        founded = year(row["year"], where)
        # For national key labs the year is the plaque year of the 2025 renaming, not the
        # start of the partnership: their ties get no `since`.
        since = None if kind in NATIONAL_KEY_LAB_TYPES else founded
        source = row["source"]
        labs.append(compact({
            "record": "node", "kind": "lab", "id": row["id"],
            "name_zh_hans": row["name_zh"], "name_en": row["name_en"],
            "lab_kind": PLATFORM_LAB_KIND.get(kind, "other"), "category": kind,
            "founded": founded,
            "cities": [city_id(c, where) for c in split(row["city"])],
            "source": source, "verified": True,
        }))
        for name in split(row["institutions"]):
            edge({"record": "edge", "kind": "partner_in", "from": institution(name, where),
                  "to": row["id"], "role": "host", "since": since, "source": source,
                  "verified": True}, where)
        for code in split(row["field"]):
            fid = field_id(code, where)
            used_fields.add(fid)
            edge({"record": "edge", "kind": "works_on", "from": row["id"], "to": fid,
                  "since": since, "source": source, "verified": True}, where)
        if kind == "hetao_institute":
            edge({"record": "edge", "kind": "part_of", "from": row["id"], "to": HETAO_PLATFORM,
                  "since": since, "source": source, "verified": True}, where)

    unused = set(REFERENCE_FIELDS) - used_fields
    if unused:
        raise ConversionError(f"taxonomy lists reference codes no row uses: {sorted(unused)}")

    fields = []
    for table, source, verified in ((REFERENCE_FIELDS, FIELD_CODES_SOURCE, True),
                                    (SPEC_FIELDS, SPEC_TAXONOMY_SOURCE, False)):
        for fid, (en, hans, hant, group, parent) in table.items():
            fields.append(compact({
                "record": "node", "kind": "field", "id": fid,
                "name_zh_hans": hans, "name_zh_hant": hant, "name_en": en,
                "field_group": group, "parent": parent,
                "source": source, "verified": verified,
            }))
    platforms = [compact({"record": "node", "kind": "platform", **p, "source": SPEC_SOURCE,
                          "verified": False}) for p in SPEC_PLATFORMS]

    return {
        "cities": cities, "fields": fields, "institutions": institutions,
        "labs": labs, "platforms": platforms, "edges": edges,
    }


def write(out, files):
    for name, records in files.items():
        path = out / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for record in [HEADER, *records]:
                f.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"{path}: {len(records)} records")


def main(argv):
    if len(argv) not in (2, 3):
        print(next(l for l in __doc__.splitlines() if l.startswith("Usage")), file=sys.stderr)
        return 2
    ref = Path(argv[1])
    out = Path(argv[2]) if len(argv) == 3 else Path(__file__).resolve().parent.parent
    try:
        write(out, convert(ref))
    except (ConversionError, KeyError, OSError) as e:
        print(f"from_reference: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
