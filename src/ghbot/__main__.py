from ghbot.cli import run

run()
