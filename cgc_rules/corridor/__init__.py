"""The materials corridor: projects, supply and demand lines, hubs and rules of play.

`load` reads a corridor directory, `engine` finds candidate matches and alerts on durable-rules
(behind `rete`), `allocate` shares quantities at least tonne-kilometres, `views` renders them.
"""
