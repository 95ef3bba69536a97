"""`cgc serve`: the local web application, a thin layer over the same functions as the CLI.

`app.create_app(config)` builds a Starlette application: server-rendered Dutch pages (Jinja2 sandbox),
NL Design System CSS, accounts and roles when served to a network, health, metrics and JSON logs.
"""
