#!/usr/bin/env python3
"""Checks data/taxonomy for format errors, dangling links and ambiguous aliases.

Usage: tools/check_taxonomy.py [TAXONOMY_DIR]   (exit 1 on errors; prints counts)
The C++ loader enforces the same rules; this is the fast check for people editing the files.
"""
import collections, glob, os, re, sys, unicodedata

SECTORS = set("tech saas finance healthcare logistics retail hospitality construction education "
              "marketing sales hr industry public transport legal energy media consulting "
              "customer_service administration pharma".split())
TYPES = {"hard", "soft", "cert", "licence", "qualification"}


def fold(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    s = re.sub(r"[-'’]", " ", s)
    return " ".join(s.split())


def rows(path, ncols, errors):
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != ncols:
            errors.append(f"{path}:{n}: {len(cells)} columns, expected {ncols}")
            continue
        yield n, cells


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "taxonomy")
    errors, ids, where = [], set(), {}
    links = []
    surface = collections.defaultdict(set)
    nskills = nocc = 0
    for path in sorted(glob.glob(os.path.join(root, "skills", "*.tsv"))):
        for n, (cid, typ, sector, group, en, fr, aliases, related) in rows(path, 8, errors):
            nskills += 1
            loc = f"{os.path.basename(path)}:{n}"
            if not re.fullmatch(r"[a-z0-9_]+", cid): errors.append(f"{loc}: bad id {cid!r}")
            if cid in ids: errors.append(f"{loc}: duplicate id {cid} (also {where[cid]})")
            ids.add(cid); where[cid] = loc
            if typ not in TYPES: errors.append(f"{loc}: bad type {typ!r}")
            if sector not in SECTORS and sector != "any": errors.append(f"{loc}: bad sector {sector!r}")
            if not re.fullmatch(r"[a-z0-9_]+", group): errors.append(f"{loc}: bad group {group!r}")
            if not en or not fr: errors.append(f"{loc}: missing en or fr label")
            for a in [en, fr] + [a for a in aliases.split("|") if a]:
                if a.startswith("="):
                    surface[("cs", a[1:])].add(cid)
                else:
                    surface[("ci", fold(a))].add(cid)
            for r in filter(None, related.split("|")):
                links.append((loc, r))
    for path in sorted(glob.glob(os.path.join(root, "occupations", "*.tsv"))):
        for n, (oid, sector, isco, rome, en, fr, aliases, skills) in rows(path, 8, errors):
            nocc += 1
            loc = f"{os.path.basename(path)}:{n}"
            key = "occ:" + oid
            if not re.fullmatch(r"[a-z0-9_]+", oid): errors.append(f"{loc}: bad id {oid!r}")
            if key in ids: errors.append(f"{loc}: duplicate occupation id {oid} (also {where[key]})")
            ids.add(key); where[key] = loc
            if sector not in SECTORS: errors.append(f"{loc}: bad sector {sector!r}")
            if not re.fullmatch(r"\d{4}", isco): errors.append(f"{loc}: bad isco {isco!r}")
            if rome and not re.fullmatch(r"[A-N]\d{4}", rome): errors.append(f"{loc}: bad rome {rome!r}")
            if not en or not fr: errors.append(f"{loc}: missing en or fr label")
            for a in [en, fr] + [a for a in aliases.split("|") if a]:
                if a.startswith("="):
                    surface[("ocs", a[1:])].add(key)
                else:
                    surface[("oci", fold(a))].add(key)
            for s in filter(None, skills.split("|")):
                links.append((loc, s))
    for loc, target in links:
        if target not in ids:
            errors.append(f"{loc}: link to unknown skill id {target!r}")
    for (kind, text), owners in sorted(surface.items()):
        if len(owners) > 1:
            errors.append(f"alias {text!r} belongs to several concepts: {', '.join(sorted(owners))}")
    for e in errors:
        print(e)
    print(f"{nskills} skills, {nocc} occupations, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
