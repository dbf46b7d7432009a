"""No broken links: every relative href/src/action of every built page leads to a file, and every #anchor exists."""

from __future__ import annotations

from pathlib import Path

from site_kit import html_files, links, parse, resolve


def check_links(site: Path) -> list[str]:
    ids: dict[Path, set[str]] = {}
    problems = []
    pages = html_files(site)
    assert len(pages) > 50
    for page in pages:
        for tag, attr, url in links(page):
            if url.startswith(("mailto:", "http://", "https://")):
                continue
            target = resolve(page, url, site)
            if target is None:
                problems.append(f"{page.relative_to(site)}: <{tag} {attr}={url!r}>: unexpected scheme")
                continue
            path, fragment = target
            try:
                path.relative_to(site)
            except ValueError:
                problems.append(f"{page.relative_to(site)}: {url!r} leaves the site")
                continue
            if not path.is_file():
                problems.append(f"{page.relative_to(site)}: {url!r} → {path.relative_to(site)} does not exist")
                continue
            if fragment:
                if path.suffix != ".html":
                    problems.append(f"{page.relative_to(site)}: {url!r}: anchor on a non-HTML file")
                    continue
                if path not in ids:
                    ids[path] = parse(path).ids
                if fragment not in ids[path]:
                    problems.append(f"{page.relative_to(site)}: {url!r}: no id {fragment!r} in {path.relative_to(site)}")
    return problems


def test_no_broken_links(embedded_site: Path) -> None:
    problems = check_links(embedded_site)
    assert not problems, "\n".join(problems[:50])


def test_no_duplicate_ids(embedded_site: Path) -> None:
    for page in html_files(embedded_site):
        seen: list[str] = [attrs["id"] for _, attrs in parse(page).tags if "id" in attrs]
        duplicates = {i for i in seen if seen.count(i) > 1}
        assert not duplicates, (page, duplicates)


def test_checker_finds_broken_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    filler = "".join(f'<a href="a/p{i}.html">x</a>' for i in range(60))
    for i in range(60):
        (site / "a" / f"p{i}.html").write_text('<p id="here">x</p>', encoding="utf-8")
    (site / "index.html").write_text(filler + '<a href="a/missing.html">x</a><a href="a/p1.html#nowhere">y</a>'
                                     '<a href="a/p1.html#here">z</a><a href="a/">d</a>', encoding="utf-8")
    problems = check_links(site)
    assert len(problems) == 3, problems  # missing file, missing anchor, folder without index.html
