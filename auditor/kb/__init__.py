"""The dated knowledge base of officials (offices, people, terms of office).

    from auditor.kb import load_kb
    kb = load_kb()                      # validated once, cached
    kb.holders_on("RU.foreign_minister", date(2021, 12, 1))

Auditing reads only the shipped snapshot (or MTAUDIT_KB_DIR); only
`mtaudit kb update` talks to the network (Wikidata SPARQL).
"""

from auditor.kb.model import KB, KBError, Office, PartialDate, Person, Term, load_kb, load_kb_from, parse_kb

__all__ = ["KB", "KBError", "Office", "PartialDate", "Person", "Term", "load_kb", "load_kb_from", "parse_kb"]
