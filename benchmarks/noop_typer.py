"""The startup floor: a Typer app whose one command does nothing (`python noop_typer.py`)."""

import typer

app = typer.Typer()


@app.command()
def noop() -> None:
    """Do nothing."""


if __name__ == "__main__":
    app()
