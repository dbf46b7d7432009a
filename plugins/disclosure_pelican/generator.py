"""The Pelican generator: renders the site model with the theme's templates."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from pelican.generators import Generator

from disclosure.export import export_records, to_csv, to_json

from .labels import labels_for
from .pages import SiteModel
from .state import BuildState


def _write_text(output_path: str, name: str, text: str) -> None:
    path = Path(output_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


class DisclosureGenerator(Generator):
    """Loads (or receives) the checked corpus and writes every page of the site."""

    def generate_context(self) -> None:
        # Raises ContentError before anything is written when the content has errors.
        self.state = BuildState.from_settings(self.settings)
        self.model = SiteModel(self.state)
        self.context["DISCLOSURE"] = self.state
        self.env.globals.update({
            "L": labels_for(self.settings.get("SITE_LANGUAGE", "zh")),
            "as_of": self.state.as_of,
            "DocType": __import__("disclosure.document", fromlist=["DocType"]).DocType,
        })
        self.env.filters["iso"] = lambda value: value.isoformat() if isinstance(value, date) else ""

    def generate_output(self, writer) -> None:  # type: ignore[no-untyped-def]
        for page in self.model.pages():
            writer.write_file(page.name, self.get_template(page.template), self.context,
                              relative_urls=True, root=page.root, **page.context)
        records = export_records(self.state.public, self.state.as_of)
        _write_text(self.output_path, os.path.join("data", "documents.json"), to_json(records, self.state.as_of))
        _write_text(self.output_path, os.path.join("data", "documents.csv"), to_csv(records))
