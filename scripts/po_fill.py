"""Fill untranslated entries of a .po file from a JSON mapping {msgid: msgstr}.

Developer tool: `python scripts/po_fill.py APP/locale/zh_Hans/LC_MESSAGES/django.po mapping.json`
prints the msgids still untranslated afterwards (so nothing is left in English by accident). A translation
already in the file is kept: the mapping fills only untranslated and fuzzy entries.
"""

import json
import sys

import polib


def main(po_path: str, mapping_path: str | None = None) -> int:
    po = polib.pofile(po_path)
    mapping = {}
    if mapping_path:
        with open(mapping_path, encoding="utf-8") as fh:
            mapping = json.load(fh)
    for entry in po:
        if "fuzzy" in entry.flags and entry.msgid not in mapping:
            # msgmerge's guess from a similar message: never trust it, translate it.
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
            entry.previous_msgid = None
        translated = entry.msgstr or any(entry.msgstr_plural.values())
        if entry.msgid in mapping and (not translated or "fuzzy" in entry.flags):
            # Only an untranslated (or guessed) entry is filled: a translation already made, perhaps in a
            # context of its own (msgctxt), is never overwritten by the mapping's generic one.
            if entry.msgid_plural:
                entry.msgstr_plural = {0: mapping[entry.msgid]}
            else:
                entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    for msgid in missing:
        print(msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
