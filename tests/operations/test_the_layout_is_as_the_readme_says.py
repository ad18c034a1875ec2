"""The README's layout table is the tree: each app's folder is its label, its URL namespace,
its templates folder and its tests folder, and the apps are listed in the order of the layers
that import-linter checks."""

import re
import tomllib

from django.apps import apps
from django.urls import URLPattern, get_resolver

from publication.api import api
from tests.paths import ROOT

ROW = re.compile(r"^\| `(?P<folder>\w+)/` \| .* \| (?P<label>`\w+`|–) \| (?P<prefixes>.*) \|$")


def layout_rows() -> list[dict]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return [m.groupdict() for line in section.splitlines() if (m := ROW.match(line))]


def test_every_app_and_package_is_in_the_table_in_the_order_of_the_layers():
    rows = layout_rows()
    folders = [row["folder"] for row in rows]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [contract] = config["contracts"]
    layers = [name.strip() for layer in contract["layers"] for name in layer.split("|")]
    assert folders == layers
    installed = {a.name for a in apps.get_app_configs() if (ROOT / a.name).is_dir()}
    assert installed <= set(folders)
    for folder in folders:
        assert (ROOT / folder / "__init__.py").exists(), folder


def test_an_apps_folder_label_namespace_templates_and_tests_share_its_name():
    rows = [row for row in layout_rows() if row["label"] != "–"]
    labels = {row["label"].strip("`") for row in rows}
    for row in rows:
        label = row["label"].strip("`")
        assert label == row["folder"]
        config = apps.get_app_config(label)
        assert config.name == label and (ROOT / label).samefile(config.path)
        assert (ROOT / "tests" / label).is_dir(), f"tests/{label}/"
        if label != "operations":
            assert (ROOT / "templates" / label).is_dir(), f"templates/{label}/"
        static = ROOT / label / "static"
        if static.is_dir():
            assert sorted(p.name for p in static.iterdir()) == [label], f"{label}/static/"
    # Every URL namespace is an app's label (or the admin's, or the read API's own).
    assert set(get_resolver().namespace_dict) <= labels | {"admin", "api"}


def test_each_url_prefix_in_the_table_leads_to_its_app():
    root = get_resolver().url_patterns
    for row in layout_rows():
        label = row["label"].strip("`")
        for prefix in re.findall(r"`(/[^`]*)`", row["prefixes"]):
            if prefix.startswith("/admin/"):
                # The admin's addresses are by label: /admin/<label>/<model>/.
                assert prefix == f"/admin/{label}/"
                continue
            found = [p for p in root if str(p.pattern).startswith(prefix.lstrip("/"))]
            assert found, prefix
            for pattern in found:
                if isinstance(pattern, URLPattern):
                    module = pattern.callback.__module__
                elif pattern.namespace == "api":
                    # The read API (django-ninja): its patterns are those of the app's api.
                    assert pattern.app_name == api.urls[1]
                    module = "publication.api"
                else:
                    module = getattr(pattern.urlconf_name, "__name__", pattern.urlconf_name)
                assert module.split(".")[0] == label, (prefix, module)
