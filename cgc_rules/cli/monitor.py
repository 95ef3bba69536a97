"""`cgc monitor`: the GMR's monitoring figures over the store, and `cgc monitor report`, the yearly evaluation."""
