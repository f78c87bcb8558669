"""The modules that register `/hephaestus` verbs, imported in this order (the help and the README
table follow it). Add your module here, one line, to enable its verbs."""

MODULES: list[str] = [
    "ghbot.commands.verbs",
    "ghbot.handlers.runbooks",
    "ghbot.handlers.deployments",
]
