"""YAML front matter: split from the body, parsed with line numbers kept for messages."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problems


class YamlLines:
    """Maps a key path in the front matter to its line in the essay file."""

    def __init__(self, node: yaml.Node | None, first_line: int):
        self.where: dict[tuple, int] = {}
        self.first_line = first_line
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self.where.setdefault(path, node.start_mark.line + self.first_line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = path + (key.value,)
                self.where[sub] = key.start_mark.line + self.first_line
                self._walk(value, sub)
                self.where[sub] = key.start_mark.line + self.first_line
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, path + (i,))

    def line(self, path: tuple, value: Any = None) -> int | None:
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.where:
                return self.where[path[:cut]]
        return self.first_line


def first_alias(yaml_text: str) -> yaml.Token | None:
    """The first anchor or alias token: refused, since nested aliases expand exponentially (billion laughs)."""
    for token in yaml.scan(yaml_text, Loader=yaml.SafeLoader):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            return token
    return None


@dataclass
class SplitSource:
    data: dict[str, Any]
    lines: YamlLines
    body: str
    body_first_line: int  # line number of the body's first line in the file


def split_front_matter(path: Path, text: str, problems: Problems) -> SplitSource | None:
    """Separate `---`-delimited YAML from the Markdown body; report syntax errors with lines."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(path, "has no front matter", 1,
                     'start the file with a line "---", then title: "…" and author: "…", then "---"')
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        problems.add(path, "front matter is not closed", 1, 'end the front matter with a line "---"')
        return None
    yaml_text = "\n".join(lines[1:end])
    try:
        alias = first_alias(yaml_text)
        if alias is not None:
            problems.add(path, "front matter uses a YAML anchor or alias (&name or *name)", alias.start_mark.line + 2,
                         "write the value out in full; aliases are not allowed (they can make a small file huge)")
            return None
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.add(path, f"front matter is not valid YAML: {problem}", line,
                     "check quotes and indentation; a value containing ': ' needs quotes")
        return None
    except (ValueError, OverflowError) as exc:  # PyYAML turns 2026-13-45 into a date and fails
        problems.add(path, f"front matter has a value YAML cannot read: {exc}", 2,
                     "dates are written 2026-11-01; put other values in quotes")
        return None
    except RecursionError:
        problems.add(path, "front matter is nested too deeply to read", 2, "flatten the lists and tables")
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(path, "front matter must be key: value pairs", 2, 'write e.g. title: "My Essay"')
        return None
    return SplitSource(data, YamlLines(node, 2), "\n".join(lines[end + 1:]), end + 2)
