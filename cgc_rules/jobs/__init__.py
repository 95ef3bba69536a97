"""Jobs: one function per task, the only way the faces (the CLI and the web) reach a domain pipeline.

A job takes loaded inputs (models, rulesets, profiles, paths it is told to read) and returns a result
object; it never parses command-line options or form fields and never prints. The CLI and the web
parse, call one job and present its result. Modules: `evaluate`, `assess`, `generate`, `pack`,
`score`, `verify`, `corridor`, `monitor`, `report` (and `notice`).
"""
