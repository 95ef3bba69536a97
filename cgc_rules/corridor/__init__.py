"""The materials corridor: projects, supply and demand lines, hubs and rules of play.

`load` reads a corridor directory, `index` finds and judges candidate routes (an indexed join),
`engine` keeps them up to date event by event and runs the rules of play on durable-rules (behind
`rete`), `allocate` shares quantities exactly (a min-cost flow, `flow`), `store` posts events to a stored
corridor, `texts` and `views` word and render the findings.
"""
