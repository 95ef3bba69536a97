"""The guarded entry for every YAML and JSON file cgc reads, with file:line:column for every error.

Reading is bounded before parsing (size, lines: `files`) and while parsing (depth, items per collection,
nodes, string length, number magnitude: `limits`): a file that breaks a limit is refused with the limit
named. YAML is parsed as an event stream by libyaml and built into plain data (`yamldata`), so anchors,
aliases, merge keys and every tag the formats do not need are refused, and a scalar that does not fit its
tag (`!!int abc`, `2026-02-30`) is a located error, not a traceback. JSON goes through the standard
library's decoder with refusing hooks (`jsondata`, `jsonplace`). Positions are found only when something
is wrong: one more pass over the file locates every error of the document at once (`document`), so the
cost stays linear in the file however many errors it has. `parse` turns text into a document, `models`
reads, parses and validates a file against a pydantic model; `archive` guards zip containers the same way.
"""
